package io.slatedb.flink;

import io.slatedb.flink.snapshot.CheckpointDescriptors;
import io.slatedb.flink.state.SlateDbKeyedStateBackend;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.KeyGroupsSavepointStateHandle;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SavepointResources;
import org.apache.flink.runtime.state.SavepointSnapshotStrategy;
import org.apache.flink.runtime.state.SnapshotExecutionType;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategyRunner;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import org.apache.flink.util.StateMigrationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RunnableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Canonical savepoints in Flink's portable format: this backend's restore into the heap and RocksDB
 * backends and theirs into this one, with value, list, map (null values included), reducing and TTL'd
 * state in several namespaces and timers; a restore of a key-group subset (rescaling).
 */
@Timeout(120)
class SlateDbCanonicalSavepointTest {

    private static final int MAX_PARALLELISM = 128;
    private static final int KEYS = 200;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_PARALLELISM - 1);

    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", LongSerializer.INSTANCE);
    private static final ListStateDescriptor<Long> EVENTS = new ListStateDescriptor<>("events", LongSerializer.INSTANCE);
    private static final MapStateDescriptor<String, Integer> ATTRIBUTES =
            new MapStateDescriptor<>("attributes", StringSerializer.INSTANCE, IntSerializer.INSTANCE);
    private static final ReducingStateDescriptor<Long> SUM =
            new ReducingStateDescriptor<>("sum", Long::sum, LongSerializer.INSTANCE);
    private static final String TIMERS = "timers";
    private static final TimerSerializer<Integer, VoidNamespace> TIMER_SERIALIZER =
            new TimerSerializer<>(IntSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE);

    @TempDir
    Path tmp;

    private MockEnvironment env;
    private final List<AbstractKeyedStateBackend<Integer>> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        env = MockEnvironment.builder().build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AbstractKeyedStateBackend<Integer> backend : opened) {
            backend.dispose();
        }
        env.close();
    }

    private static ValueStateDescriptor<String> ttlValues() {
        ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>("ttl-values", StringSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        return descriptor;
    }

    private StateBackend slateDb() {
        Configuration config = new Configuration();
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("store")));
        SlateDbStateBackend slateDb = new SlateDbStateBackend().configure(config, getClass().getClassLoader());
        // Several backends of one test share the mock environment's small managed memory otherwise.
        slateDb.setUseManagedMemory(false);
        return slateDb;
    }

    private StateBackend rocksDb() {
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.setDbStoragePath(tmp.resolve("rocksdb").toString());
        rocksDb.getMemoryConfiguration().setUseManagedMemory(false);
        return rocksDb;
    }

    private AbstractKeyedStateBackend<Integer> backend(StateBackend stateBackend, KeyGroupRange range,
                                                       Collection<KeyedStateHandle> restore) throws Exception {
        AbstractKeyedStateBackend<Integer> backend = (AbstractKeyedStateBackend<Integer>) stateBackend
                .createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(env, new JobID(), "op",
                        IntSerializer.INSTANCE, MAX_PARALLELISM, range, env.getTaskKvStateRegistry(),
                        TtlTimeProvider.DEFAULT, new UnregisteredMetricsGroup(), restore, new CloseableRegistry()));
        opened.add(backend);
        return backend;
    }

    /** A canonical savepoint of {@code backend}, written as Flink writes one. */
    static KeyGroupsSavepointStateHandle canonicalSavepoint(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        SavepointResources<Integer> resources = backend.savepoint();
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = new SnapshotStrategyRunner<>("canonical savepoint",
                new SavepointSnapshotStrategy<>(resources.getSnapshotResources()), new CloseableRegistry(),
                SnapshotExecutionType.ASYNCHRONOUS).snapshot(1, 1, new MemCheckpointStreamFactory(64 << 20),
                CheckpointOptions.alignedNoTimeout(SavepointType.savepoint(SavepointFormatType.CANONICAL),
                        CheckpointStorageLocationReference.getDefault()));
        future.run();
        return (KeyGroupsSavepointStateHandle) future.get().getJobManagerOwnedSnapshot();
    }

    /**
     * Every state kind in two namespaces, and a timer per key; map entries with null values unless the
     * backend is the heap backend, whose savepoints cannot write them.
     */
    private static void fill(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        boolean nullValues = !(backend instanceof HeapKeyedStateBackend);
        KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Integer, VoidNamespace>> timers =
                backend.create(TIMERS, TIMER_SERIALIZER);
        for (int key = 0; key < KEYS; key++) {
            backend.setCurrentKey(key);
            backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, COUNT).update(key * 10L);
            backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, ttlValues())
                    .update("ttl-" + key);
            for (String namespace : List.of("a", "b")) {
                backend.getPartitionedState(namespace, StringSerializer.INSTANCE, EVENTS)
                        .update(List.of((long) key, (long) key + namespace.length()));
                backend.getPartitionedState(namespace, StringSerializer.INSTANCE, EVENTS).add(-1L);
                MapState<String, Integer> attributes =
                        backend.getPartitionedState(namespace, StringSerializer.INSTANCE, ATTRIBUTES);
                attributes.put(namespace + key, key);
                if (nullValues && key % 5 == 0) {
                    attributes.put("null", null);
                }
                backend.getPartitionedState(namespace, StringSerializer.INSTANCE, SUM).add((long) key);
                backend.getPartitionedState(namespace, StringSerializer.INSTANCE, SUM).add(1L);
            }
            timers.add(new TimerHeapInternalTimer<>(1_000L + key, key, VoidNamespace.INSTANCE));
        }
    }

    /** Checks that {@code backend} holds exactly what {@link #fill} wrote for the keys of its key groups. */
    private static void verify(AbstractKeyedStateBackend<Integer> backend, boolean nullValues) throws Exception {
        KeyGroupRange range = backend.getKeyGroupRange();
        Set<Integer> expectedKeys = new HashSet<>();
        for (int key = 0; key < KEYS; key++) {
            if (!range.contains(KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
                continue;
            }
            expectedKeys.add(key);
            backend.setCurrentKey(key);
            assertThat(backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, COUNT).value())
                    .isEqualTo(key * 10L);
            assertThat(backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, ttlValues())
                    .value()).isEqualTo("ttl-" + key);
            for (String namespace : List.of("a", "b")) {
                assertThat(backend.getPartitionedState(namespace, StringSerializer.INSTANCE, EVENTS).get())
                        .containsExactly((long) key, (long) key + namespace.length(), -1L);
                Map<String, Integer> attributes = new HashMap<>();
                backend.getPartitionedState(namespace, StringSerializer.INSTANCE, ATTRIBUTES).entries()
                        .forEach(e -> attributes.put(e.getKey(), e.getValue()));
                Map<String, Integer> expected = new HashMap<>();
                expected.put(namespace + key, key);
                if (nullValues && key % 5 == 0) {
                    expected.put("null", null);
                }
                assertThat(attributes).isEqualTo(expected);
                assertThat(backend.getPartitionedState(namespace, StringSerializer.INSTANCE, SUM).get())
                        .isEqualTo(key + 1L);
            }
        }
        assertThat(backend.getKeys(COUNT.getName(), VoidNamespace.INSTANCE)).containsExactlyInAnyOrderElementsOf(expectedKeys);
        KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Integer, VoidNamespace>> timers =
                backend.create(TIMERS, TIMER_SERIALIZER);
        Map<Integer, Long> timerByKey = new HashMap<>();
        TimerHeapInternalTimer<Integer, VoidNamespace> timer;
        while ((timer = timers.poll()) != null) {
            assertThat(timerByKey.put(timer.getKey(), timer.getTimestamp())).isNull();
        }
        Map<Integer, Long> expectedTimers = new HashMap<>();
        expectedKeys.forEach(key -> expectedTimers.put(key, 1_000L + key));
        assertThat(timerByKey).isEqualTo(expectedTimers);
    }

    private void roundTrip(StateBackend from, StateBackend to) throws Exception {
        AbstractKeyedStateBackend<Integer> source = backend(from, ALL, List.of());
        fill(source);
        KeyGroupsSavepointStateHandle savepoint = canonicalSavepoint(source);

        verify(backend(to, ALL, List.of(savepoint)), !(source instanceof HeapKeyedStateBackend));
    }

    @Test
    void aCanonicalSavepointOfThisBackendRestoresIntoTheHeapBackend() throws Exception {
        roundTrip(slateDb(), new HashMapStateBackend());
    }

    @Test
    void aCanonicalSavepointOfThisBackendRestoresIntoTheRocksDbBackend() throws Exception {
        roundTrip(slateDb(), rocksDb());
    }

    @Test
    void aCanonicalSavepointOfTheHeapBackendRestoresHere() throws Exception {
        roundTrip(new HashMapStateBackend(), slateDb());
    }

    @Test
    void aCanonicalSavepointOfTheRocksDbBackendRestoresHere() throws Exception {
        roundTrip(rocksDb(), slateDb());
    }

    @Test
    void aCanonicalSavepointOfThisBackendRestoresHereWithHeapTimers() throws Exception {
        SlateDbStateBackend heapTimers = (SlateDbStateBackend) slateDb();
        heapTimers.setTimerServiceFactory(SlateDbOptions.TimerServiceFactory.HEAP);
        roundTrip(slateDb(), heapTimers);
    }

    @Test
    void aRescaledRestoreLoadsOnlyItsKeyGroups() throws Exception {
        AbstractKeyedStateBackend<Integer> source = backend(slateDb(), ALL, List.of());
        fill(source);
        KeyGroupsSavepointStateHandle savepoint = canonicalSavepoint(source);

        // The whole handle, as a caller that does not cut it first would pass it: each part takes its key groups.
        for (KeyGroupRange part : List.of(new KeyGroupRange(0, 42), new KeyGroupRange(43, 85),
                new KeyGroupRange(86, 127))) {
            AbstractKeyedStateBackend<Integer> restored = backend(slateDb(), part, List.of(savepoint));
            verify(restored, true);
            assertThat(restored).isInstanceOf(SlateDbKeyedStateBackend.class);
        }
    }

    @Test
    void aSavepointOfARestoredBackendHoldsTheSameState() throws Exception {
        AbstractKeyedStateBackend<Integer> source = backend(new HashMapStateBackend(), ALL, List.of());
        fill(source);
        AbstractKeyedStateBackend<Integer> loaded = backend(slateDb(), ALL, List.of(canonicalSavepoint(source)));

        // No state registered again: the restored meta data alone makes the next savepoint write every state.
        verify(backend(new HashMapStateBackend(), ALL, List.of(canonicalSavepoint(loaded))), false);
    }

    @Test
    void aStateLargerThanOneWriteBatchRestoresWhole() throws Exception {
        ValueStateDescriptor<String> large = new ValueStateDescriptor<>("large", StringSerializer.INSTANCE);
        String padding = "x".repeat(200);
        int keys = 30_000;
        AbstractKeyedStateBackend<Integer> source = backend(slateDb(), ALL, List.of());
        for (int key = 0; key < keys; key++) {
            source.setCurrentKey(key);
            source.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, large)
                    .update(key + padding);
        }

        // About 6 MiB: more than one of the restore's write batches.
        AbstractKeyedStateBackend<Integer> restored = backend(slateDb(), ALL, List.of(canonicalSavepoint(source)));

        assertThat(restored.numKeyValueStateEntries()).isEqualTo(keys);
        for (int key = 0; key < keys; key += 997) {
            restored.setCurrentKey(key);
            assertThat(restored.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, large)
                    .value()).isEqualTo(key + padding);
        }
    }

    @Test
    void aCanonicalSavepointAndANativeSnapshotTogetherFailTheRestoreWithAClearError() throws Exception {
        AbstractKeyedStateBackend<Integer> source = backend(slateDb(), ALL, List.of());
        fill(source);
        RunnableFuture<SnapshotResult<KeyedStateHandle>> checkpoint = source.snapshot(2, 2,
                new MemCheckpointStreamFactory(1 << 20), CheckpointOptions.forCheckpointWithDefaultLocation());
        checkpoint.run();
        KeyedStateHandle nativeSnapshot = checkpoint.get().getJobManagerOwnedSnapshot();

        assertThatThrownBy(() -> backend(slateDb(), ALL, List.of(canonicalSavepoint(source), nativeSnapshot)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot restore a mix of full snapshots");
    }

    @Test
    void anUnreadableFullSnapshotFailsTheRestoreWithAClearError() {
        KeyedStateHandle garbage = new KeyGroupsSavepointStateHandle(
                new org.apache.flink.runtime.state.KeyGroupRangeOffsets(ALL),
                new org.apache.flink.runtime.state.memory.ByteStreamStateHandle("garbage", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> backend(slateDb(), ALL, List.of(garbage)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Could not restore the full snapshot");
        // Nor is it mistaken for a SlateDB snapshot by what reads those.
        assertThatThrownBy(() -> CheckpointDescriptors.read(garbage))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("no SlateDB checkpoint descriptor");
    }
}
