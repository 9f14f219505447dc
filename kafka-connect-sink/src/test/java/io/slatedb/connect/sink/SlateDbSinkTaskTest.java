package io.slatedb.connect.sink;

import io.slatedb.Db;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task through its API, with a fake context and a simulated worker, on a local-directory store. */
@Timeout(60)
class SlateDbSinkTaskTest {
    private static final TopicPartition TP0 = new TopicPartition("orders", 0);
    private static final TopicPartition TP1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;
    private ObjectStore store;
    private final List<SlateDbSinkTask> tasks = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = ObjectStores.resolve(url());
    }

    @AfterEach
    void closeStore() throws Exception {
        for (SlateDbSinkTask task : tasks) {
            try {
                task.stop();
            } catch (RuntimeException ignored) {
                // a test may have stopped it already
            }
        }
        store.close();
    }

    private String url() {
        return "file://" + dir.toAbsolutePath();
    }

    private Map<String, String> props(String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("slatedb.store", url());
        props.put("slatedb.path", "db");
        // No background WAL flush: only preCommit and close make writes durable, so tests decide by events.
        props.put("slatedb.settings.flush_interval", "none");
        props.put("topics", "orders");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    private SlateDbSinkTask newTask() {
        SlateDbSinkTask task = new SlateDbSinkTask();
        tasks.add(task);
        return task;
    }

    private static SinkRecord record(TopicPartition tp, long offset, Object key, Object value) {
        return new SinkRecord(tp.topic(), tp.partition(), null, key, null, value, offset);
    }

    private static Map<TopicPartition, List<SinkRecord>> log(TopicPartition tp, String... keyValues) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            records.add(record(tp, records.size(), keyValues[i], keyValues[i + 1]));
        }
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        log.put(tp, records);
        return log;
    }

    @Test
    void recordsOverwritesAndTombstonesLandWithTheirOffsetInOneBatch() {
        // k4: a put then a delete in one batch; k5: a delete then a put; k3: an empty value is a put.
        Map<TopicPartition, List<SinkRecord>> log = log(TP0,
                "k1", "v1", "k2", "v2", "k1", "v1b", "k2", null, "k3", "", "k4", "x", "k4", null, "k5", null, "k5", "y");
        SimulatedWorker worker = new SimulatedWorker(newTask(), props(), log, new HashMap<>(), Set.of(TP0));

        assertTrue(worker.poll(100));
        Map<TopicPartition, OffsetAndMetadata> committed = worker.commit();

        assertEquals(Map.of(TP0, new OffsetAndMetadata(9)), committed);
        SinkDatabaseModel db = SinkDatabaseModel.read(store, "db");
        assertEquals(Map.of("k1", "v1b", "k3", "", "k5", "y"), db.data());
        assertEquals(Map.of(TP0, 9L), db.offsets());
        worker.stop();
    }

    @Test
    void preCommitReturnsOnlyDurableOffsetsAndACrashLosesNothingCommitted() {
        Map<TopicPartition, List<SinkRecord>> log = log(TP0, "a", "1", "b", "2", "c", "3", "a", "4");
        Map<TopicPartition, Long> committed = new HashMap<>();
        SimulatedWorker first = new SimulatedWorker(newTask(), props(), log, committed, Set.of(TP0));
        first.poll(2);
        first.commit();
        first.poll(2); // applied in memory, never flushed: the "crash" below loses it
        assertEquals(Map.of(TP0, 2L), committed);

        // A new task (the restarted one) fences the old writer and resumes from the stored offset.
        SimulatedWorker second = new SimulatedWorker(newTask(), props(), log, committed, Set.of(TP0));
        SinkDatabaseModel afterCrash = SinkDatabaseModel.read(store, "db");
        assertEquals(Map.of(TP0, 2L), afterCrash.offsets());
        afterCrash.assertMatches(log);

        // The old task learns it was fenced: it commits nothing more.
        assertEquals(Map.of(), first.commit());
        first.revoke(Set.of(TP0));

        second.drain(10);
        second.commit();
        assertEquals(Map.of(TP0, 4L), committed);
        SinkDatabaseModel done = SinkDatabaseModel.read(store, "db");
        assertEquals(Map.of("a", "4", "b", "2", "c", "3"), done.data());
        done.assertMatches(log);
        second.stop();
    }

    @Test
    void aRestartedTaskRewindsToTheStoredOffsetsAndSkipsRedeliveredRecords() {
        Map<TopicPartition, List<SinkRecord>> log = log(TP0, "a", "1", "b", "2", "c", "3");
        Map<TopicPartition, Long> committed = new HashMap<>();
        SimulatedWorker first = new SimulatedWorker(newTask(), props(), log, committed, Set.of(TP0));
        first.drain(10);
        // The data is durable (close flushes) but Connect's own offsets were never committed.
        first.task.close(List.of(TP0));
        first.task.stop();
        assertEquals(Map.of(), committed);

        SimulatedWorker second = new SimulatedWorker(newTask(), props(), log, committed, Set.of(TP0));
        assertEquals(3L, second.position.get(TP0), "rewound to the stored offset");
        // Connect redelivers from its own (older) offsets anyway: the task skips what the database holds.
        SlateDbSinkTask task = second.task;
        task.put(List.of(record(TP0, 0, "a", "changed"), record(TP0, 1, "b", "changed"), record(TP0, 3, "d", "4")));
        second.stop();

        assertEquals(Map.of("a", "1", "b", "2", "c", "3", "d", "4"), SinkDatabaseModel.read(store, "db").data());
        assertEquals(Map.of(TP0, 4L), SinkDatabaseModel.read(store, "db").offsets());
    }

    @Test
    void tombstonesCanBeIgnoredOrRejected() {
        SlateDbSinkTask ignoring = newTask();
        SimulatedWorker worker = new SimulatedWorker(ignoring, props("tombstone.behavior", "ignore"),
                log(TP0, "a", "1", "a", null), new HashMap<>(), Set.of(TP0));
        worker.drain(10);
        worker.stop();
        assertEquals(Map.of("a", "1"), SinkDatabaseModel.read(store, "db").data());
        assertEquals(Map.of(TP0, 2L), SinkDatabaseModel.read(store, "db").offsets(), "an ignored tombstone advances");

        SlateDbSinkTask failing = newTask();
        SimulatedWorker strict = new SimulatedWorker(failing, props("tombstone.behavior", "FAIL", "slatedb.path", "db2"),
                log(TP0, "a", null), new HashMap<>(), Set.of(TP0));
        DataException e = assertThrows(DataException.class, () -> strict.poll(10));
        assertTrue(e.getMessage().contains("tombstone"), e.getMessage());
    }

    @Test
    void badRecordsAreDataExceptionsOrGoToTheErrantRecordReporter() {
        SlateDbSinkTask task = newTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props());
        task.initialize(context);
        task.start(props());
        task.open(List.of(TP0));

        DataException nullKey = assertThrows(DataException.class, () -> task.put(List.of(record(TP0, 0, null, "v"))));
        assertTrue(nullKey.getMessage().contains("null key"), nullKey.getMessage());
        byte[] reserved = SinkOffsetKeys.offsetKey("orders", 0);
        DataException inReserved = assertThrows(DataException.class, () -> task.put(List.of(record(TP0, 0, reserved, "v"))));
        assertTrue(inReserved.getMessage().contains("reserve"), inReserved.getMessage());
        DataException unsupported = assertThrows(DataException.class,
                () -> task.put(List.of(record(TP0, 0, "k", new Object()))));
        assertTrue(unsupported.getMessage().contains("java.lang.Object"), unsupported.getMessage());
        task.stop();

        // With a reporter (errors.tolerance=all and a dead letter queue) the bad record is reported and skipped.
        List<SinkRecord> reported = new ArrayList<>();
        SlateDbSinkTask tolerant = newTask();
        FakeSinkTaskContext tolerantContext = new FakeSinkTaskContext(props());
        tolerantContext.reporter = (record, error) -> {
            reported.add(record);
            return CompletableFuture.completedFuture(null);
        };
        tolerant.initialize(tolerantContext);
        tolerant.start(props());
        tolerant.open(List.of(TP0));
        tolerant.put(List.of(record(TP0, 0, "a", "1"), record(TP0, 1, null, "2"), record(TP0, 2, "c", "3")));
        assertEquals(Map.of(TP0, new OffsetAndMetadata(3)),
                tolerant.preCommit(Map.of(TP0, new OffsetAndMetadata(3))));
        tolerant.close(List.of(TP0));
        tolerant.stop();
        assertEquals(1, reported.size());
        assertEquals(1L, reported.get(0).kafkaOffset());
        assertEquals(Map.of("a", "1", "c", "3"), SinkDatabaseModel.read(store, "db").data());
    }

    @Test
    void keysAndValuesBecomeBytesInTheDocumentedEncodingWithThePerTopicPrefix() {
        SlateDbSinkTask task = newTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props("key.prefix", "${topic}/"));
        task.initialize(context);
        task.start(context.configs);
        task.open(List.of(TP0));
        Schema schema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("name", Schema.STRING_SCHEMA).build();
        Map<String, Object> map = new TreeMap<>(Map.of("z", 1, "a", List.of(true, 2.5)));
        task.put(List.of(
                record(TP0, 0, new byte[] {1, 2}, new byte[] {3}),
                record(TP0, 1, ByteBuffer.wrap(new byte[] {9}), "text"),
                record(TP0, 2, new Struct(schema).put("id", 7).put("name", "x\"y"), new HashMap<>(map)),
                record(TP0, 3, 42L, true)));
        task.close(List.of(TP0));
        task.stop();

        try (Db db = Db.open("db", store)) {
            assertArrayEquals(new byte[] {3}, db.get(concat("orders/", new byte[] {1, 2})));
            assertArrayEquals(utf8("text"), db.get(concat("orders/", new byte[] {9})));
            assertArrayEquals(utf8("{\"a\":[true,2.5],\"z\":1}"), db.get(utf8("orders/{\"id\":7,\"name\":\"x\\\"y\"}")));
            assertArrayEquals(utf8("true"), db.get(utf8("orders/42")));
            assertNull(db.get(utf8("42")));
        }
    }

    @Test
    void perPartitionDatabasesOpenAndCloseWithTheirPartitions() {
        Map<String, String> props = props("slatedb.path", "kafka/${topic}/${partition}");
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        log.put(TP0, List.of(record(TP0, 0, "p0-a", "1"), record(TP0, 1, "p0-b", "2")));
        log.put(TP1, List.of(record(TP1, 0, "p1-a", "3")));
        Map<TopicPartition, Long> committed = new HashMap<>();
        SimulatedWorker worker = new SimulatedWorker(newTask(), props, log, committed, Set.of(TP0, TP1));
        worker.drain(10);
        worker.revoke(Set.of(TP1)); // a rebalance moves partition 1 away: its database is closed cleanly
        assertEquals(Map.of(TP0, 2L, TP1, 1L), committed);

        SinkDatabaseModel p1 = SinkDatabaseModel.read(store, "kafka/orders/1");
        assertEquals(Map.of("p1-a", "3"), p1.data());
        assertEquals(Map.of(TP1, 1L), p1.offsets());
        // Another task takes partition 1 over and resumes where the first stopped.
        SimulatedWorker other = new SimulatedWorker(newTask(), props, log, committed, Set.of(TP1));
        assertEquals(1L, other.position.get(TP1));
        other.stop();
        worker.stop();
        assertEquals(Map.of("p0-a", "1", "p0-b", "2"), SinkDatabaseModel.read(store, "kafka/orders/0").data());
    }

    @Test
    void metricsArePublishedAsPluginMetrics() throws Exception {
        try (Metrics registry = new Metrics(); PluginMetricsImpl plugin = new PluginMetricsImpl(registry, Map.of("task", "0"))) {
            SlateDbSinkTask task = newTask();
            FakeSinkTaskContext context = new FakeSinkTaskContext(props());
            context.pluginMetrics = plugin;
            task.initialize(context);
            task.start(props());
            task.open(List.of(TP0));
            task.put(List.of(record(TP0, 0, "a", "1"), record(TP0, 1, "b", null)));
            task.preCommit(Map.of(TP0, new OffsetAndMetadata(2)));

            assertEquals(1.0, value(registry, "slatedb-sink-records-put"));
            assertEquals(1.0, value(registry, "slatedb-sink-records-deleted"));
            assertEquals(1.0, value(registry, "slatedb-sink-batches"));
            assertEquals(1.0, value(registry, "slatedb-sink-flush-count"));
            assertEquals(1.0, value(registry, "slatedb-sink-databases-open"));
            assertTrue(registry.metrics().keySet().stream().anyMatch(n -> n.name().startsWith("slatedb-db-")
                    && "db".equals(n.tags().get("database"))), "engine metrics, tagged with the database");
            task.stop();
            assertTrue(registry.metrics().keySet().stream().noneMatch(n -> n.name().startsWith("slatedb-")),
                    "stop removes the task's metrics");
        }
    }

    private static double value(Metrics registry, String name) {
        return registry.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst()
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String prefix, byte[] rest) {
        byte[] p = utf8(prefix);
        byte[] out = new byte[p.length + rest.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(rest, 0, out, p.length, rest.length);
        return out;
    }
}
