package io.slatedb.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.StateBackendTestBase;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameter;
import org.apache.flink.testutils.junit.extensions.parameterized.ParameterizedTestExtension;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameters;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.List;

/** Flink's state backend conformance suite, with JobManager and file system checkpoint storage. */
@ExtendWith(ParameterizedTestExtension.class)
@Timeout(120)
class SlateDbStateBackendTest extends StateBackendTestBase<SlateDbStateBackend> {

    @TempDir
    static java.nio.file.Path tmp;

    @Parameters(name = "storage={0}")
    public static List<Object[]> storages() {
        return TestStores.checkpointStorages(tmp);
    }

    @Parameter
    public SupplierWithException<CheckpointStorage, IOException> storage;

    @Override
    protected CheckpointStorage getCheckpointStorage() throws Exception {
        return storage.get();
    }

    @Override
    protected ConfigurableStateBackend getStateBackend() {
        // One store for the class: a restore clones the snapshot's database within the store.
        Configuration config = new Configuration();
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("store")));
        return new SlateDbStateBackend().configure(config, getClass().getClassLoader());
    }

    @Override
    protected boolean supportsAsynchronousSnapshots() {
        return true;
    }

    @Override
    protected boolean isSerializerPresenceRequiredOnRestore() {
        return false;
    }

    @Override
    protected boolean snapshotUsesStreamFactory() {
        // A snapshot is a SlateDB checkpoint; nothing is written through Flink's checkpoint streams.
        return false;
    }
}
