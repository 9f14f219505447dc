package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.WalRetention;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.slatedb.connect.source.SourceTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector stopped, resumed and reset on a Connect cluster in this JVM (exactly-once on, read back
 * with {@code read_committed} consumers): a catch-up over a WAL gap delivers a key deleted in the gap as a
 * tombstone; and resetting the stopped connector's offsets releases its WAL retention slot, so stop,
 * reset, delete leaves nothing behind.
 */
@Timeout(300)
class SlateDbSourceLifecycleClusterTest {

    private static final long WAIT_MS = 120_000;
    private static EmbeddedConnectCluster connect;
    @TempDir
    static Path dir;
    private static ObjectStore store;

    @BeforeAll
    static void startCluster() {
        connect = SourceTestSupport.startExactlyOnceCluster("slatedb-source-lifecycle",
                Map.of("offset.flush.interval.ms", "500"));
        store = ObjectStores.resolve(SourceTestSupport.storeUrl(dir));
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    private static Map<String, String> connectorConfig(String path, String topic, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SlateDbSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put(SlateDbSourceConfig.STORE, SourceTestSupport.storeUrl(dir));
        config.put(SlateDbSourceConfig.PATH, path);
        config.put(SlateDbSourceConfig.TOPIC, topic);
        config.put(SlateDbSourceConfig.POLL_INTERVAL_MS, "50");
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("exactly.once.support", "required");
        config.putAll(extra);
        return config;
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitAtLeast(KafkaConsumer<byte[], byte[]> consumer,
                                                                    List<ConsumerRecord<byte[], byte[]>> seen,
                                                                    int count) throws InterruptedException {
        TestUtils.waitForCondition(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.size() >= count;
        }, WAIT_MS, () -> "saw " + seen.size() + " of " + count + " records");
        return seen;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        connect.kafka().createTopic(topic, 1);
        return connect.kafka().createConsumerAndSubscribeTo(Map.of("isolation.level", "read_committed",
                "auto.offset.reset", "earliest", "group.id", "reader-" + UUID.randomUUID()), topic);
    }

    private static String row(ConsumerRecord<byte[], byte[]> record) {
        return text(record.key()) + "=" + text(record.value());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void write(Db db, String key, String value) {
        if (value == null) {
            db.delete(b(key));
        } else {
            db.put(b(key), b(value));
        }
        db.flush(FlushType.WAL);
    }

    @Test
    void catchUpOverAWalGapDeliversAKeyDeletedInTheGapAsATombstone() throws Exception {
        String name = "gap-source";
        String path = "gap";
        String topic = "gap-cdc";
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (Db db = SourceTestSupport.open(store, path); KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            write(db, "a", "1");
            write(db, "b", "2");
            connect.configureConnector(name, connectorConfig(path, topic, Map.of(
                    SlateDbSourceConfig.START_FROM, "earliest", SlateDbSourceConfig.WAL_GAP_POLICY, "catch-up",
                    SlateDbSourceConfig.RETENTION_ENABLED, "false")));
            awaitAtLeast(consumer, seen, 2);
            connect.stopConnector(name);
            connect.assertions().assertConnectorIsStopped(name, "the connector did not stop");

            // The gap: written while the connector is stopped, flushed to L0, its WAL collected (no slot holds it).
            write(db, "c", "3");
            write(db, "a", null);
            write(db, "d", "4");
            db.flush(FlushType.MEMTABLE);
            SourceTestSupport.collectWal(store, path, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));

            connect.resumeConnector(name);
            List<ConsumerRecord<byte[], byte[]>> all = awaitAtLeast(consumer, seen, 5);
            List<ConsumerRecord<byte[], byte[]>> caughtUp = all.subList(2, 5);
            // In key order, as a catch-up reads them (the WAL would give c, a, d): the gap was met.
            assertEquals(List.of("a=null", "c=3", "d=4"), caughtUp.stream().map(SlateDbSourceLifecycleClusterTest::row)
                    .toList(), "b did not change; a was deleted in the gap");
            assertNull(caughtUp.get(0).value(), "the delete is a tombstone");
            assertEquals("delete", header(caughtUp.get(0), ChangeRecords.HEADER_OPERATION));
            assertEquals("catch-up", header(caughtUp.get(0), ChangeRecords.HEADER_PHASE));

            write(db, "e", "5");
            assertEquals("e=5", row(awaitAtLeast(consumer, seen, 6).get(5)), "streaming continues after the catch-up");
            assertEquals(6, seen.size());
            connect.deleteConnector(name);
        }
    }

    @Test
    void resettingTheStoppedConnectorsOffsetsReleasesItsRetentionSlot() throws Exception {
        String name = "held-source";
        String path = "held";
        String topic = "held-cdc";
        String slot = RetentionSlot.slotName(name);
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (Db db = SourceTestSupport.open(store, path); KafkaConsumer<byte[], byte[]> consumer = consumer(topic);
             Admin admin = Admin.builder(path, store).build()) {
            write(db, "a", "1");
            connect.configureConnector(name, connectorConfig(path, topic, Map.of()));
            awaitAtLeast(consumer, seen, 1);
            write(db, "b", "2");
            awaitAtLeast(consumer, seen, 2);
            assertTrue(admin.listWalRetentions().stream().anyMatch(r -> r.name().equals(slot)),
                    "the running connector holds its slot: " + admin.listWalRetentions());

            connect.stopConnector(name);
            connect.assertions().assertConnectorIsStopped(name, "the connector did not stop");
            assertTrue(admin.listWalRetentions().stream().anyMatch(r -> r.name().equals(slot)),
                    "stopping alone keeps the slot (a stop is not a delete)");

            // The worker calls alterOffsets before it answers the reset: released by the time it returns.
            connect.resetConnectorOffsets(name);
            assertEquals(List.of(), admin.listWalRetentions().stream().map(WalRetention::name)
                    .filter(slot::equals).toList(), "the slot is released");
            assertEquals(List.of(), admin.listCheckpoints().stream().map(CheckpointInfo::name)
                    .filter(n -> n != null && n.startsWith(RetentionSlot.snapshotCheckpointName(name))).toList(),
                    "no snapshot checkpoint is left");
            connect.deleteConnector(name);
        }
    }
}
