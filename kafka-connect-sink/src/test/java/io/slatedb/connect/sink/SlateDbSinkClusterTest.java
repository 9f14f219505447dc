package io.slatedb.connect.sink;

import io.slatedb.Db;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.interop.RequiresNode;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.interop.RustSlateDb;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector on a real Kafka broker (KRaft) and Connect worker, in-process: records land, validation
 * explains mistakes, restarts and rebalances leave every database equal to the last-write-wins model of the
 * produced records with the stored offsets never behind Connect's, and bad records go to the dead letter queue.
 */
@Timeout(300)
class SlateDbSinkClusterTest {
    private static final long WAIT_MS = 90_000;

    @TempDir
    static Path storeDir;
    private static EmbeddedConnectCluster connect;
    private static ObjectStore store;

    @BeforeAll
    static void startCluster() {
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        Map<String, String> worker = new HashMap<>(); // the harness adds to it: must be mutable
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        connect = (EmbeddedConnectCluster) new EmbeddedConnectCluster.Builder().name("slatedb-sink-cluster")
                .numWorkers(1).numBrokers(1).brokerProps(broker).workerProps(worker).build();
        connect.start();
        store = ObjectStores.resolve(storeUrl());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (connect != null) {
            connect.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    private static String storeUrl() {
        return "file://" + storeDir.toAbsolutePath();
    }

    private static Map<String, String> config(String topic, String path, String... extra) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SlateDbSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", StringConverter.class.getName());
        config.put("slatedb.store", storeUrl());
        config.put("slatedb.path", path);
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return config;
    }

    /** Produces {@code count} records to each partition: keys of their own partition, overwrites and tombstones. */
    private static void produce(String topic, int partitions, int from, int count, Map<TopicPartition, List<SinkRecord>> log) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                List<SinkRecord> records = log.computeIfAbsent(tp, t -> new ArrayList<>());
                for (int i = from; i < from + count; i++) {
                    String key = "p" + p + "-k" + (i % 97);
                    String value = i % 13 == 12 ? null : "v" + i;
                    producer.send(new ProducerRecord<>(topic, p, utf8(key), value == null ? null : utf8(value)));
                    records.add(new SinkRecord(topic, p, null, key, null, value, i));
                }
            }
            producer.flush();
        }
    }

    /** Waits until the database at {@code path} stores {@code offsets} (and no others). */
    private static SinkDatabaseModel awaitOffsets(String path, Map<TopicPartition, Long> offsets) throws InterruptedException {
        SinkDatabaseModel[] last = new SinkDatabaseModel[1];
        TestUtils.waitForCondition(() -> {
            try {
                last[0] = SinkDatabaseModel.read(store, path);
                return last[0].offsets().equals(offsets);
            } catch (RuntimeException e) {
                return false; // not created yet
            }
        }, WAIT_MS, () -> "database " + path + " did not reach offsets " + offsets + "; last read "
                + (last[0] == null ? "none" : last[0].offsets()));
        return last[0];
    }

    /** Connect's committed offsets of the connector's consumer group. */
    private static Map<TopicPartition, Long> connectOffsets(String connector) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (ConnectorOffset offset : connect.connectorOffsets(connector).offsets()) {
            out.put(new TopicPartition((String) offset.partition().get("kafka_topic"),
                            ((Number) offset.partition().get("kafka_partition")).intValue()),
                    ((Number) offset.offset().get("kafka_offset")).longValue());
        }
        return out;
    }

    /** Connect's committed offset of each partition the database holds is not ahead of the database's. */
    private static void assertConnectNotAhead(String connector, SinkDatabaseModel db) {
        connectOffsets(connector).forEach((tp, offset) -> {
            if (db.offsets().containsKey(tp)) {
                assertTrue(offset <= db.offsets().get(tp),
                        "Connect's offset " + offset + " of " + tp + " is not ahead of the database's " + db.offsets());
            }
        });
    }

    @Test
    void recordsOverwritesAndTombstonesLand() throws Exception {
        connect.kafka().createTopic("basic", 1);
        connect.configureConnector("basic-sink", config("basic", "basic"));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("basic-sink", 1, "the sink did not start");

        connect.kafka().produce("basic", "k1", "v1");
        connect.kafka().produce("basic", "k2", "v2");
        connect.kafka().produce("basic", "k1", "v1b");
        connect.kafka().produce("basic", "k2", null);
        connect.kafka().produce("basic", "k3", "");

        SinkDatabaseModel db = awaitOffsets("basic", Map.of(new TopicPartition("basic", 0), 5L));
        assertEquals(Map.of("k1", "v1b", "k3", ""), db.data());

        TestUtils.waitForCondition(() -> Map.of(new TopicPartition("basic", 0), 5L).equals(connectOffsets("basic-sink")),
                WAIT_MS, "Connect commits the durable offsets");

        // The task's metrics (read after a commit, which follows the puts and flushes the WAL), in JMX under
        // Connect's plugin-metrics names; the engine's tagged with the database.
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName sinkMetrics = new ObjectName("kafka.connect:type=plugins,connector=basic-sink,task=0");
        assertEquals(4.0, ((Number) jmx.getAttribute(sinkMetrics, "slatedb-sink-records-put")).doubleValue());
        assertEquals(1.0, ((Number) jmx.getAttribute(sinkMetrics, "slatedb-sink-records-deleted")).doubleValue());
        assertTrue(((Number) jmx.getAttribute(sinkMetrics, "slatedb-sink-flush-count")).doubleValue() >= 1);
        assertEquals(1, jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=basic-sink,task=0,database=basic"),
                null).size(), "the engine's metrics of the database");
        connect.deleteConnector("basic-sink");
    }

    @Test
    @RequiresNode
    void theDatabaseTheWorkerWroteOpensInTheRustLibrary() throws Exception {
        String topic = "for-rust";
        connect.kafka().createTopic(topic, 1);
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        produce(topic, 1, 0, 500, log);
        connect.configureConnector("rust-sink", config(topic, "for-rust", "slatedb.settings.compression_codec", "lz4"));
        TopicPartition tp = new TopicPartition(topic, 0);
        awaitOffsets("for-rust", Map.of(tp, 500L));
        connect.deleteConnector("rust-sink"); // closes the database: flushed, the writer gone

        Map<String, String> rustData = new TreeMap<>();
        Map<TopicPartition, Long> rustOffsets = new HashMap<>();
        for (Row row : RustSlateDb.get().read(storeDir, "for-rust").entries()) {
            var offsetKey = SinkOffsetKeys.parseOffsetKey(row.key());
            if (offsetKey.isPresent()) {
                rustOffsets.put(new TopicPartition(offsetKey.get().topic(), offsetKey.get().partition()),
                        SinkOffsetKeys.decodeOffset(row.value()));
            } else {
                rustData.put(row.keyUtf8(), new String(row.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(Map.of(tp, 500L), rustOffsets);
        assertEquals(SinkDatabaseModel.expected(log, rustOffsets), rustData);
    }

    @Test
    void validationExplainsEveryMistake() {
        Map<String, String> config = config("v", "one-db", "name", "validated", "tasks.max", "2",
                "tombstone.behavior", "explode", "slatedb.settings.l0_sst_size_bytes", "lots");
        ConfigInfos result = connect.validateConnectorConfig(SlateDbSinkConnector.class.getSimpleName(), config);

        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigInfo info : result.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(3, result.errorCount(), errors.toString());
        assertTrue(errors.get("slatedb.path").get(0).contains("single writer"), errors.toString());
        assertTrue(errors.containsKey("tombstone.behavior") && errors.containsKey("slatedb.settings.l0_sst_size_bytes"),
                errors.toString());
        assertTrue(result.configs().stream().anyMatch(i -> i.configValue().name().equals("tombstone.behavior")
                && i.configValue().recommendedValues().equals(List.of("delete", "ignore", "fail"))), "recommended values");
    }

    @Test
    void aTaskRestartAndAWorkerRestartLeaveTheDatabaseEqualToTheModel() throws Exception {
        String topic = "restarts";
        connect.kafka().createTopic(topic, 2);
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        produce(topic, 2, 0, 2000, log);
        connect.configureConnector("restart-sink", config(topic, "restarts"));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("restart-sink", 1, "the sink did not start");

        // Killed and restarted while it works through the backlog (once something is durable).
        TestUtils.waitForCondition(() -> {
            try {
                return !SinkDatabaseModel.read(store, "restarts").offsets().isEmpty();
            } catch (RuntimeException e) {
                return false;
            }
        }, WAIT_MS, "the sink stored nothing");
        connect.restartTask("restart-sink", 0);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("restart-sink", 1, "the task did not restart");
        SinkDatabaseModel midway = SinkDatabaseModel.read(store, "restarts");
        midway.assertMatches(log); // whatever is durable is exactly the log up to the stored offsets
        produce(topic, 2, 2000, 1000, log);
        SinkDatabaseModel afterTaskRestart = awaitOffsets("restarts", Map.of(p0, 3000L, p1, 3000L));
        afterTaskRestart.assertMatches(log);
        assertConnectNotAhead("restart-sink", afterTaskRestart);

        // The worker goes away and a new one takes over.
        connect.removeWorker();
        connect.addWorker();
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("restart-sink", 1, "no task after the worker restart");
        produce(topic, 2, 3000, 1000, log);
        SinkDatabaseModel afterWorkerRestart = awaitOffsets("restarts", Map.of(p0, 4000L, p1, 4000L));
        afterWorkerRestart.assertMatches(log);
        assertConnectNotAhead("restart-sink", afterWorkerRestart);
        connect.deleteConnector("restart-sink");
    }

    /**
     * A hard crash: every write of the running task starts failing for good, so the task dies with records
     * it had batched and cannot flush, and its close and stop cannot flush either. What is durable is exactly
     * the records up to the stored offsets, Connect's offsets are not ahead of them, and a restarted task
     * (on a store that works) brings the database to the whole log.
     */
    @Test
    void aTaskThatDiesWithoutFlushingRecovers() throws Exception {
        String topic = "crash";
        connect.kafka().createTopic(topic, 2);
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        produce(topic, 2, 0, 2000, log);
        Map<String, String> config = config(topic, "crash");
        config.put("connector.class", CrashableSinkConnector.class.getName());
        config.put("slatedb.settings.flush_interval", "none"); // durable only by the task's own flushes
        int storesBefore = CrashableSinkConnector.STORES.size();
        connect.configureConnector("crash-sink", config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("crash-sink", 1, "the sink did not start");
        TestUtils.waitForCondition(() -> {
            try {
                return !SinkDatabaseModel.read(store, "crash").offsets().isEmpty();
            } catch (RuntimeException e) {
                return false;
            }
        }, WAIT_MS, "the sink stored nothing");

        CrashableSinkConnector.STORES.get(storesBefore).inject(FaultRule.on(Operation.PUT, Fault.failPermanently())
                .always());
        produce(topic, 2, 2000, 1000, log);
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("crash-sink", 1, "the task did not die");
        SinkDatabaseModel crashed = SinkDatabaseModel.read(store, "crash");
        crashed.assertMatches(log);
        assertConnectNotAhead("crash-sink", crashed);

        connect.restartTask("crash-sink", 0);
        SinkDatabaseModel recovered = awaitOffsets("crash", Map.of(p0, 3000L, p1, 3000L));
        recovered.assertMatches(log);
        assertConnectNotAhead("crash-sink", recovered);
        assertTrue(CrashableSinkConnector.STORES.size() > storesBefore + 1, "the restarted task opened a new store");
        connect.deleteConnector("crash-sink");
    }

    /**
     * Offsets changed through the REST API while the connector is stopped are written into the database; on
     * resume the task rewinds to them and applies the records after them again (keys deleted behind the
     * connector's back while it was stopped come back).
     */
    @Test
    void offsetsAlteredThroughTheRestApiRewindTheTask() throws Exception {
        String topic = "rewind";
        connect.kafka().createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        connect.configureConnector("rewind-sink", config(topic, "rewind"));
        for (int i = 0; i < 100; i++) {
            connect.kafka().produce(topic, "k" + i, "v" + i);
        }
        awaitOffsets("rewind", Map.of(tp, 100L));

        connect.stopConnector("rewind-sink");
        connect.assertions().assertConnectorIsStopped("rewind-sink", "the connector did not stop");
        try (Db db = Db.builder("rewind", store).build()) {
            for (int i = 50; i < 100; i++) {
                db.delete(utf8("k" + i));
            }
        }
        connect.alterSinkConnectorOffset("rewind-sink", tp, 50L);
        assertEquals(Map.of(tp, 50L), SinkDatabaseModel.read(store, "rewind").offsets(), "stored in the database");
        assertEquals(50, SinkDatabaseModel.read(store, "rewind").data().size());

        connect.resumeConnector("rewind-sink");
        connect.kafka().produce(topic, "k100", "v100");
        SinkDatabaseModel db = awaitOffsets("rewind", Map.of(tp, 101L));
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i <= 100; i++) {
            expected.put("k" + i, "v" + i);
        }
        assertEquals(expected, new TreeMap<>(db.data()), "records 50 and on applied again");
        assertConnectNotAhead("rewind-sink", db);
        connect.deleteConnector("rewind-sink");
    }

    @Test
    void perPartitionDatabasesWithTwoTasksAndARebalance() throws Exception {
        String topic = "scaled";
        connect.kafka().createTopic(topic, 4);
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        produce(topic, 4, 0, 300, log);
        Map<String, String> config = config(topic, "per-partition/${topic}/${partition}", "tasks.max", "2");
        connect.configureConnector("scaled-sink", config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("scaled-sink", 2, "two tasks did not start");
        for (int p = 0; p < 4; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            awaitOffsets("per-partition/scaled/" + p, Map.of(tp, 300L)).assertMatches(Map.of(tp, log.get(tp)));
        }

        // A rebalance: a third task; partitions move, their databases are closed and reopened elsewhere.
        config.put("tasks.max", "3");
        connect.configureConnector("scaled-sink", config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("scaled-sink", 3, "three tasks did not start");
        produce(topic, 4, 300, 300, log);
        for (int p = 0; p < 4; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            SinkDatabaseModel db = awaitOffsets("per-partition/scaled/" + p, Map.of(tp, 600L));
            db.assertMatches(Map.of(tp, log.get(tp)));
            assertConnectNotAhead("scaled-sink", db);
        }
        connect.deleteConnector("scaled-sink");
    }

    @Test
    void badRecordsGoToTheDeadLetterQueue() throws Exception {
        String topic = "with-bad-records";
        connect.kafka().createTopic(topic, 1);
        connect.configureConnector("dlq-sink", config(topic, "dlq",
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "sink-dlq",
                "errors.deadletterqueue.topic.replication.factor", "1",
                "errors.deadletterqueue.context.headers.enable", "true"));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("dlq-sink", 1, "the sink did not start");

        connect.kafka().produce(topic, "a", "1");
        connect.kafka().produce(topic, null, "no key");
        connect.kafka().produce(topic, "b", "2");

        SinkDatabaseModel db = awaitOffsets("dlq", Map.of(new TopicPartition(topic, 0), 3L));
        assertEquals(Map.of("a", "1", "b", "2"), db.data());
        ConsumerRecords<byte[], byte[]> dead = connect.kafka().consume(1, WAIT_MS, "sink-dlq");
        ConsumerRecord<byte[], byte[]> record = dead.iterator().next();
        assertEquals("no key", new String(record.value(), StandardCharsets.UTF_8));
        String reason = new String(record.headers().lastHeader("__connect.errors.exception.message").value(),
                StandardCharsets.UTF_8);
        assertTrue(reason.contains("null key"), reason);
        connect.deleteConnector("dlq-sink");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
