package io.slatedb.flink;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.testutils.junit.utils.TempDirUtils;
import org.apache.flink.util.function.SupplierWithException;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** Store URLs, checkpoint storages and job configuration for tests. */
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

    /**
     * A job's configuration selecting this backend by configuration only, its store and Flink's checkpoints
     * under {@code tmp}, a checkpoint every 100 ms.
     */
    static Configuration jobConfig(java.nio.file.Path tmp) {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, SlateDbStateBackendFactory.class.getName());
        config.set(SlateDbOptions.STORE, url(tmp.resolve("store")));
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, tmp.resolve("checkpoints").toUri().toString());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        return config;
    }

    /** The job tests' MiniCluster, one per test class: one task manager with four slots. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(4)
                .build());
    }

    /** A directory of the running test method's own under the class's temporary root. */
    static java.nio.file.Path methodDirectory(java.nio.file.Path root, TestInfo test) throws IOException {
        return Files.createDirectories(root.resolve(test.getTestMethod().orElseThrow().getName()));
    }
}
