package io.slatedb.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.StateBackendMigrationTestBase;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameter;
import org.apache.flink.testutils.junit.extensions.parameterized.ParameterizedTestExtension;
import org.apache.flink.testutils.junit.extensions.parameterized.Parameters;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.List;

/** Flink's state migration suite: serializer upgrades rewrite the stored values, incompatible ones fail. */
@ExtendWith(ParameterizedTestExtension.class)
@Timeout(120)
class SlateDbStateBackendMigrationTest extends StateBackendMigrationTestBase<SlateDbStateBackend> {

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
    protected SlateDbStateBackend getStateBackend() {
        Configuration config = new Configuration();
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("store")));
        return new SlateDbStateBackend().configure(config, getClass().getClassLoader());
    }

    @Override
    protected boolean supportsKeySerializerCheck() {
        return true;
    }
}
