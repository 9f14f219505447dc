package io.slatedb.flink;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.flink.snapshot.CheckpointReference;
import io.slatedb.flink.snapshot.SlateDbKeyedStateHandle;
import io.slatedb.flink.state.SlateDbKeyedStateBackend;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RunnableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot handle read back from Flink's checkpoint metadata (as the job manager does after a
 * failover, or when a job starts from a retained checkpoint) still deletes its SlateDB checkpoint when
 * discarded, and still restores.
 */
@Timeout(120)
class SlateDbCheckpointLifecycleTest {

    private static final int MAX_PARALLELISM = 128;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_PARALLELISM - 1);
    private static final ValueStateDescriptor<String> VALUES = new ValueStateDescriptor<>("values", StringSerializer.INSTANCE);

    @TempDir
    Path tmp;

    private SlateDbStateBackend stateBackend;
    private MockEnvironment env;
    private ObjectStore store;
    private final List<SlateDbKeyedStateBackend<Integer>> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Configuration config = new Configuration();
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("store")));
        stateBackend = new SlateDbStateBackend().configure(config, getClass().getClassLoader());
        env = MockEnvironment.builder().build();
        store = ObjectStores.resolve(TestStores.url(tmp.resolve("store")));
    }

    @AfterEach
    void tearDown() throws Exception {
        opened.forEach(SlateDbKeyedStateBackend::dispose);
        env.close();
        store.close();
    }

    private SlateDbKeyedStateBackend<Integer> backend(JobID job, Collection<KeyedStateHandle> restore) throws Exception {
        return backend(job, ALL, restore);
    }

    private SlateDbKeyedStateBackend<Integer> backend(JobID job, KeyGroupRange range, Collection<KeyedStateHandle> restore)
            throws Exception {
        SlateDbKeyedStateBackend<Integer> backend = (SlateDbKeyedStateBackend<Integer>) stateBackend.createKeyedStateBackend(
                new KeyedStateBackendParametersImpl<>(env, job, "op", IntSerializer.INSTANCE, MAX_PARALLELISM, range,
                        env.getTaskKvStateRegistry(), TtlTimeProvider.DEFAULT, new UnregisteredMetricsGroup(), restore,
                        new CloseableRegistry()));
        opened.add(backend);
        return backend;
    }

    private static void put(SlateDbKeyedStateBackend<Integer> backend, int key, String value) throws Exception {
        backend.setCurrentKey(key);
        backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES).update(value);
    }

    private static String get(SlateDbKeyedStateBackend<Integer> backend, int key) throws Exception {
        backend.setCurrentKey(key);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES).value();
    }

    private static SlateDbKeyedStateHandle snapshot(SlateDbKeyedStateBackend<Integer> backend, long checkpointId) throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = backend.snapshot(checkpointId, checkpointId,
                new MemCheckpointStreamFactory(1 << 20), CheckpointOptions.forCheckpointWithDefaultLocation());
        future.run();
        return (SlateDbKeyedStateHandle) future.get().getJobManagerOwnedSnapshot();
    }

    private List<UUID> checkpointsOf(String databasePath) {
        try (Admin admin = Admin.builder(databasePath, store).build()) {
            return admin.listCheckpoints().stream().map(CheckpointInfo::id).toList();
        }
    }

    /** Writes {@code handle} into checkpoint metadata as the job manager does, and reads it back. */
    private KeyedStateHandle throughMetadata(long checkpointId, KeyedStateHandle handle) throws Exception {
        OperatorID operator = new OperatorID();
        OperatorState state = new OperatorState(null, null, operator, 1, MAX_PARALLELISM);
        state.putState(0, OperatorSubtaskState.builder().setManagedKeyedState(handle).build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(checkpointId, List.of(state), List.of()),
                new DataOutputStream(bytes));
        CheckpointMetadata read = Checkpoints.loadCheckpointMetadata(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), getClass().getClassLoader(),
                tmp.resolve("chk-" + checkpointId).toString());
        return read.getOperatorStates().iterator().next().getState(0).getManagedKeyedState().iterator().next();
    }

    @Test
    void aHandleReadBackFromMetadataDeletesItsCheckpointWhenDiscardedAndLeavesTheOthers() throws Exception {
        SlateDbKeyedStateBackend<Integer> backend = backend(new JobID(), List.of());
        put(backend, 1, "one");
        SlateDbKeyedStateHandle first = snapshot(backend, 1);
        backend.notifyCheckpointComplete(1);
        put(backend, 2, "two");
        SlateDbKeyedStateHandle retained = snapshot(backend, 2);
        backend.notifyCheckpointComplete(2);

        KeyedStateHandle readBack = throughMetadata(1, first);
        assertThat(readBack).isExactlyInstanceOf(IncrementalRemoteKeyedStateHandle.class);
        assertThat(readBack.getStateSize()).isEqualTo(first.getStateSize());
        assertThat(checkpointsOf(backend.databasePath())).contains(first.slateDbCheckpointId(),
                retained.slateDbCheckpointId());

        readBack.discardState();

        assertThat(checkpointsOf(backend.databasePath())).contains(retained.slateDbCheckpointId())
                .doesNotContain(first.slateDbCheckpointId());
        // Discarding again (the job manager and the task both may) is harmless.
        readBack.discardState();
        assertThat(checkpointsOf(backend.databasePath())).contains(retained.slateDbCheckpointId());
    }

    @Test
    void aRetainedCheckpointReadBackFromMetadataRestoresInANewJobAndStaysIntact() throws Exception {
        SlateDbKeyedStateBackend<Integer> first = backend(new JobID(), List.of());
        for (int key = 0; key < 50; key++) {
            put(first, key, "v" + key);
        }
        SlateDbKeyedStateHandle handle = snapshot(first, 7);
        first.notifyCheckpointComplete(7);
        String firstDatabase = first.databasePath();
        opened.remove(first);
        first.dispose();

        SlateDbKeyedStateBackend<Integer> second = backend(new JobID(), List.of(throughMetadata(7, handle)));
        for (int key = 0; key < 50; key++) {
            assertThat(get(second, key)).isEqualTo("v" + key);
        }
        put(second, 0, "changed");
        snapshot(second, 1);
        second.notifyCheckpointComplete(1);
        second.notifyCheckpointSubsumed(0);

        assertThat(checkpointsOf(firstDatabase)).contains(handle.slateDbCheckpointId());
        SlateDbKeyedStateBackend<Integer> third = backend(new JobID(), List.of(throughMetadata(7, handle)));
        assertThat(get(third, 0)).isEqualTo("v0");
    }

    @Test
    void aCheckpointOfASubtaskThatNeverWroteStillRestoresRescaled() throws Exception {
        JobID job = new JobID();
        SlateDbKeyedStateBackend<Integer> written = backend(job, new KeyGroupRange(0, 63), List.of());
        SlateDbKeyedStateBackend<Integer> empty = backend(job, new KeyGroupRange(64, 127), List.of());
        int key = 0;
        while (!new KeyGroupRange(0, 63).contains(
                org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
            key++;
        }
        put(written, key, "kept");
        // The operator registers its state, as at open, and never writes.
        empty.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES);
        List<KeyedStateHandle> handles = List.of(snapshot(written, 1), snapshot(empty, 1));

        SlateDbKeyedStateBackend<Integer> merged = backend(job, ALL, handles);

        assertThat(get(merged, key)).isEqualTo("kept");
    }

    @Test
    void aReferenceNamesAnyStoreUrlAndRejectsWhatItDidNotWrite() {
        CheckpointReference reference = new CheckpointReference("s3://bucket/a prefix?region=eu-west-1&x=/y",
                "flink/job/op/kg-0-127-attempt-3-x", UUID.randomUUID());

        assertThat(CheckpointReference.of(reference.toPath().toUri())).isEqualTo(reference);
        assertThat(CheckpointReference.of(new org.apache.flink.core.fs.Path(reference.toPath().toString()).toUri()))
                .isEqualTo(reference);
        assertThatThrownBy(() -> CheckpointReference.of(URI.create("slatedb-checkpoint:/only/two")))
                .isInstanceOfSatisfying(SlateDbException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> CheckpointReference.of(URI.create("file:/a/b/c")))
                .isInstanceOf(SlateDbException.class);
    }
}
