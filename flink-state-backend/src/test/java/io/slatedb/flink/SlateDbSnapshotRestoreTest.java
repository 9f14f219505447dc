package io.slatedb.flink;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.flink.snapshot.CheckpointDescriptors;
import io.slatedb.flink.snapshot.SlateDbKeyedStateHandle;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import io.slatedb.flink.state.SlateDbKeyedStateBackend;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots are SlateDB checkpoints with a lifecycle; restores are clones, projected and united on rescaling. */
@Timeout(120)
class SlateDbSnapshotRestoreTest {

    private static final int MAX_PARALLELISM = 128;
    private static final ValueStateDescriptor<String> VALUES = new ValueStateDescriptor<>("values", StringSerializer.INSTANCE);

    @TempDir
    Path tmp;

    private SlateDbStateBackend stateBackend;
    private MockEnvironment env;
    private final JobID job = new JobID();
    private final List<SlateDbKeyedStateBackend<Integer>> opened = new ArrayList<>();
    private ObjectStore store;
    /** The TTL time of the backends, moved by the tests. */
    private long now = 1_000;

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

    private SlateDbKeyedStateBackend<Integer> backend(KeyGroupRange range, Collection<KeyedStateHandle> restore) throws Exception {
        SlateDbKeyedStateBackend<Integer> backend = (SlateDbKeyedStateBackend<Integer>) stateBackend.createKeyedStateBackend(
                new KeyedStateBackendParametersImpl<>(env, job, "op", IntSerializer.INSTANCE, MAX_PARALLELISM, range,
                        env.getTaskKvStateRegistry(), (TtlTimeProvider) () -> now, new UnregisteredMetricsGroup(), restore,
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
        ValueState<String> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES);
        return state.value();
    }

    private static SlateDbKeyedStateHandle snapshot(SlateDbKeyedStateBackend<Integer> backend, long checkpointId) throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = backend.snapshot(checkpointId, checkpointId,
                new MemCheckpointStreamFactory(1 << 20), CheckpointOptions.forCheckpointWithDefaultLocation());
        future.run();
        return (SlateDbKeyedStateHandle) future.get().getJobManagerOwnedSnapshot();
    }

    private List<UUID> checkpointsOf(SlateDbKeyedStateBackend<Integer> backend) {
        try (Admin admin = Admin.builder(backend.databasePath(), store).build()) {
            return admin.listCheckpoints().stream().map(CheckpointInfo::id).toList();
        }
    }

    private static boolean inRange(int key, KeyGroupRange range) {
        return range.contains(KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM));
    }

    @Test
    void aSnapshotIsASlateDbCheckpointThatDiscardingDeletes() throws Exception {
        KeyGroupRange all = new KeyGroupRange(0, MAX_PARALLELISM - 1);
        SlateDbKeyedStateBackend<Integer> backend = backend(all, List.of());
        for (int key = 0; key < 100; key++) {
            put(backend, key, "v" + key);
        }

        SlateDbKeyedStateHandle handle = snapshot(backend, 1);

        CheckpointDescriptor descriptor = CheckpointDescriptors.read(handle);
        assertThat(descriptor.getStore()).isEqualTo(TestStores.url(tmp.resolve("store")));
        assertThat(descriptor.getPath()).isEqualTo(backend.databasePath()).startsWith("flink/" + job + "/op/kg-0-127-attempt-0-");
        assertThat(UUID.fromString(descriptor.getCheckpointId())).isEqualTo(handle.slateDbCheckpointId());
        assertThat(CheckpointDescriptors.keyGroups(descriptor)).isEqualTo(all);
        assertThat(descriptor.getFullSizeBytes()).isPositive();
        assertThat(handle.getCheckpointedSize()).isEqualTo(descriptor.getFullSizeBytes());
        assertThat(handle.getStateSize()).isGreaterThanOrEqualTo(descriptor.getFullSizeBytes());
        assertThat(handle.getSharedStateHandles()).isEmpty();
        assertThat(handle.getPrivateState()).hasSize(1);
        assertThat(checkpointsOf(backend)).contains(handle.slateDbCheckpointId());

        handle.discardState();

        assertThat(checkpointsOf(backend)).doesNotContain(handle.slateDbCheckpointId());
    }

    @Test
    void anAbortedCheckpointIsDeletedAndALaterOneCountsOnlyNewBytes() throws Exception {
        SlateDbKeyedStateBackend<Integer> backend = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1), List.of());
        put(backend, 1, "one");
        SlateDbKeyedStateHandle first = snapshot(backend, 1);
        backend.notifyCheckpointComplete(1);
        put(backend, 2, "two");
        SlateDbKeyedStateHandle aborted = snapshot(backend, 2);
        backend.notifyCheckpointAborted(2);
        put(backend, 3, "three");
        SlateDbKeyedStateHandle third = snapshot(backend, 3);

        assertThat(checkpointsOf(backend)).contains(first.slateDbCheckpointId(), third.slateDbCheckpointId())
                .doesNotContain(aborted.slateDbCheckpointId());
        long thirdFull = CheckpointDescriptors.read(third).getFullSizeBytes();
        assertThat(third.getCheckpointedSize()).isPositive().isLessThan(thirdFull);
    }

    @Test
    void aSubsumedCheckpointIsDeletedAndTheNewerOneKept() throws Exception {
        SlateDbKeyedStateBackend<Integer> backend = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1), List.of());
        put(backend, 1, "one");
        SlateDbKeyedStateHandle first = snapshot(backend, 1);
        backend.notifyCheckpointComplete(1);
        put(backend, 2, "two");
        SlateDbKeyedStateHandle second = snapshot(backend, 2);
        backend.notifyCheckpointComplete(2);

        backend.notifyCheckpointSubsumed(1);

        assertThat(checkpointsOf(backend)).contains(second.slateDbCheckpointId())
                .doesNotContain(first.slateDbCheckpointId());
    }

    @Test
    void aRestoreClonesWithoutCopyingAnySst() throws Exception {
        KeyGroupRange all = new KeyGroupRange(0, MAX_PARALLELISM - 1);
        SlateDbKeyedStateBackend<Integer> source = backend(all, List.of());
        for (int key = 0; key < 100; key++) {
            put(source, key, "v" + key);
        }
        SlateDbKeyedStateHandle handle = snapshot(source, 1);
        put(source, 0, "after the checkpoint");

        SlateDbKeyedStateBackend<Integer> restored = backend(all, List.of(handle));

        assertThat(restored.databasePath()).isNotEqualTo(source.databasePath());
        assertThat(sstFiles(source)).isNotEmpty();
        assertThat(sstFiles(restored)).isEmpty();
        for (int key = 0; key < 100; key++) {
            assertThat(get(restored, key)).isEqualTo("v" + key);
        }
        // The restored database is the restoring attempt's own: writes there do not reach the source.
        put(restored, 1, "restored");
        assertThat(get(source, 1)).isEqualTo("v1");
    }

    @Test
    void rescalingUnitesProjectionsOfTheSourcesOntoTheNewKeyGroups() throws Exception {
        KeyGroupRange left = new KeyGroupRange(0, 63);
        KeyGroupRange right = new KeyGroupRange(64, MAX_PARALLELISM - 1);
        SlateDbKeyedStateBackend<Integer> leftSource = backend(left, List.of());
        SlateDbKeyedStateBackend<Integer> rightSource = backend(right, List.of());
        for (int key = 0; key < 200; key++) {
            put(inRange(key, left) ? leftSource : rightSource, key, "v" + key);
        }
        List<KeyedStateHandle> handles = List.of(snapshot(leftSource, 1), snapshot(rightSource, 1));

        KeyGroupRange middle = new KeyGroupRange(32, 95);
        SlateDbKeyedStateBackend<Integer> rescaled = backend(middle, handles);

        assertThat(sstFiles(rescaled)).isEmpty();
        int present = 0;
        for (int key = 0; key < 200; key++) {
            if (inRange(key, middle)) {
                assertThat(get(rescaled, key)).isEqualTo("v" + key);
                present++;
            }
        }
        assertThat(present).isPositive();
        // Keys of other key groups are outside the projection: none of them is in the database.
        assertThat(rescaled.getKeys(VALUES.getName(), VoidNamespace.INSTANCE).toList())
                .hasSize(present)
                .allMatch(key -> inRange(key, middle));
        assertThat(rescaled.numKeyValueStateEntries()).isEqualTo(present);
    }

    @Test
    void theEngineDropsValuesWhoseTtlNeverReturnsThemOnceExpired() throws Exception {
        ValueStateDescriptor<String> expiring = new ValueStateDescriptor<>("expiring", StringSerializer.INSTANCE);
        expiring.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(100)).build());
        ValueStateDescriptor<String> returned = new ValueStateDescriptor<>("returned", StringSerializer.INSTANCE);
        returned.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(100))
                .setStateVisibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp).build());
        SlateDbKeyedStateBackend<Integer> backend = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1), List.of());
        for (int key = 0; key < 10; key++) {
            backend.setCurrentKey(key);
            backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, expiring).update("old");
            backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, returned).update("old");
        }
        now = 2_000;
        backend.setCurrentKey(10);
        backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, expiring).update("new");
        assertThat(backend.numKeyValueStateEntries()).isEqualTo(21);

        // The checkpoint flushes the memtable to L0 at time 2000: the expired rows are dropped on the way.
        SlateDbKeyedStateHandle handle = snapshot(backend, 1);

        assertThat(backend.getKeys("expiring", VoidNamespace.INSTANCE).toList()).containsExactly(10);
        assertThat(backend.getKeys("returned", VoidNamespace.INSTANCE).toList()).hasSize(10);
        SlateDbKeyedStateBackend<Integer> restored = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1), List.of(handle));
        assertThat(restored.numKeyValueStateEntries()).isEqualTo(11);
        restored.setCurrentKey(10);
        assertThat(restored.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, expiring).value())
                .isEqualTo("new");
    }

    @Test
    void aSnapshotOfAnotherBackendOrStoreFailsTheRestoreWithAClearError() throws Exception {
        KeyGroupRange all = new KeyGroupRange(0, MAX_PARALLELISM - 1);
        // A native snapshot of another backend: the handle type of RocksDB's, meta data that is no descriptor.
        KeyedStateHandle foreign = new IncrementalRemoteKeyedStateHandle(UUID.randomUUID(), all, 1, List.of(), List.of(),
                new ByteStreamStateHandle("rocksdb", new byte[] {1, 2, 3}), 3);
        assertThatThrownBy(() -> backend(all, List.of(foreign)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Not a SlateDB state backend snapshot");

        SlateDbKeyedStateBackend<Integer> source = backend(all, List.of());
        put(source, 1, "one");
        SlateDbKeyedStateHandle handle = snapshot(source, 1);
        Configuration elsewhere = new Configuration();
        elsewhere.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("other-store")));
        stateBackend = new SlateDbStateBackend().configure(elsewhere, getClass().getClassLoader());
        assertThatThrownBy(() -> backend(all, List.of(handle)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not in the configured store");
    }

    private List<Path> sstFiles(SlateDbKeyedStateBackend<Integer> backend) throws Exception {
        Path compacted = tmp.resolve("store").resolve(backend.databasePath()).resolve("compacted");
        if (!Files.exists(compacted)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(compacted)) {
            return files.toList();
        }
    }
}
