package io.slatedb.flink;

import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.testutils.junit.utils.TempDirUtils;
import org.apache.flink.util.function.SupplierWithException;

import java.io.IOException;
import java.util.List;

/** Store URLs and checkpoint storages for tests. */
final class TestStores {

    private TestStores() {
    }

    /** The {@code file:///} store URL of a local directory. */
    static String url(java.nio.file.Path directory) {
        return "file://" + directory.toAbsolutePath();
    }

    /**
     * The parameters of a conformance suite run with both of Flink's checkpoint storages: the JobManager's,
     * and a file system directory under {@code tmp}.
     */
    static List<Object[]> checkpointStorages(java.nio.file.Path tmp) {
        return List.of(
                new Object[] {(SupplierWithException<CheckpointStorage, IOException>) JobManagerCheckpointStorage::new},
                new Object[] {(SupplierWithException<CheckpointStorage, IOException>) () ->
                        new FileSystemCheckpointStorage(new Path(TempDirUtils.newFolder(tmp).toURI().toString()), 0, -1)});
    }
}
