package io.slatedb.connect.source;

import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.WriteBatch;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.slatedb.connect.source.SourceTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector on a Connect cluster in this JVM (one broker, one worker, exactly-once source support
 * enabled), read back with {@code read_committed} consumers: a snapshot then streaming, tombstones, order
 * per key and batches kept together; and restarts mid-snapshot and mid-stream that deliver every change
 * exactly once.
 */
@Timeout(300)
class SlateDbSourceConnectorClusterTest {

    private static final long WAIT_MS = 120_000;
    private static EmbeddedConnectCluster connect;
    @TempDir
    static Path dir;
    private static ObjectStore store;

    @BeforeAll
    static void startCluster() {
        connect = SourceTestSupport.startExactlyOnceCluster("slatedb-source", Map.of("offset.flush.interval.ms", "500"));
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
        config.put("transaction.boundary", "poll");
        config.putAll(extra);
        return config;
    }

    /** A read_committed consumer of one topic that gathers what it has seen. */
    private static final class Reader implements AutoCloseable {
        final KafkaConsumer<byte[], byte[]> consumer;
        final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

        Reader(String topic) {
            connect.kafka().createTopic(topic, 1);
            consumer = connect.kafka().createConsumerAndSubscribeTo(Map.of("isolation.level", "read_committed",
                    "auto.offset.reset", "earliest", "group.id", "reader-" + UUID.randomUUID()), topic);
        }

        /** Polls until at least {@code count} records were seen, bounded. */
        List<ConsumerRecord<byte[], byte[]>> awaitAtLeast(int count) throws InterruptedException {
            TestUtils.waitForCondition(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= count;
            }, WAIT_MS, () -> "saw " + seen.size() + " of " + count + " records");
            return seen;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String row(ConsumerRecord<byte[], byte[]> record) {
        return text(record.key()) + "=" + text(record.value());
    }

    @Test
    void snapshotsThenStreamsWithTombstonesOrderAndWholeBatches() throws Exception {
        String path = "shop";
        String topic = "shop-cdc";
        try (Db db = SourceTestSupport.open(store, path); Reader reader = new Reader(topic)) {
            for (int i = 0; i < 50; i++) {
                db.put(b(String.format("k%03d", i)), b("v" + i));
            }
            db.put(b("k000"), b("v0-newer"));
            db.delete(b("k001"));
            db.flush(FlushType.MEMTABLE);

            connect.configureConnector("shop-source", connectorConfig(path, topic, Map.of()));
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("shop-source", 1, "not running");
            List<ConsumerRecord<byte[], byte[]>> snapshot = reader.awaitAtLeast(49);
            assertEquals(49, snapshot.size());
            assertEquals("k000=v0-newer", row(snapshot.get(0)));
            assertEquals("k002=v2", row(snapshot.get(1)));

            for (int round = 0; round < 5; round++) {
                db.put(b("counter"), b("c" + round));
            }
            db.delete(b("k002"));
            db.write(new WriteBatch().put(b("batch-a"), b("1")).put(b("batch-b"), b("2")).delete(b("k003")));
            List<ConsumerRecord<byte[], byte[]>> all = reader.awaitAtLeast(49 + 9);
            List<ConsumerRecord<byte[], byte[]>> stream = all.subList(49, all.size());
            assertEquals(List.of("counter=c0", "counter=c1", "counter=c2", "counter=c3", "counter=c4", "k002=null",
                    "batch-a=1", "batch-b=2", "k003=null"), stream.stream().map(SlateDbSourceConnectorClusterTest::row)
                    .toList());
            assertNull(stream.get(5).value(), "a delete is a tombstone");
            assertEquals("delete", header(stream.get(5), ChangeRecords.HEADER_OPERATION));
            assertEquals("put", header(stream.get(0), ChangeRecords.HEADER_OPERATION));
            // The worker's default header converter writes INT64 headers as decimal text.
            assertTrue(Long.parseLong(header(stream.get(6), ChangeRecords.HEADER_SEQ))
                    > Long.parseLong(header(stream.get(4), ChangeRecords.HEADER_SEQ)));
            assertEquals(header(stream.get(6), ChangeRecords.HEADER_SEQ), header(stream.get(8), ChangeRecords.HEADER_SEQ),
                    "one write batch, one sequence number");
            assertEquals(Long.parseLong(header(stream.get(0), ChangeRecords.HEADER_CREATE_TS)),
                    stream.get(0).timestamp(), "the record timestamp is the write's creation time");
            connect.deleteConnector("shop-source");
        }
    }

    /**
     * Restarts of the connector and its task while the snapshot runs and again while the WAL streams, with
     * exactly-once on: the read_committed topic holds every change exactly once.
     */
    @Test
    void restartsMidSnapshotAndMidStreamDeliverEveryChangeExactlyOnce() throws Exception {
        String path = "big";
        String topic = "big-cdc";
        int keys = 3000;
        int streamed = 600;
        try (Db db = SourceTestSupport.open(store, path); Reader reader = new Reader(topic)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < keys; i++) {
                batch.put(b(String.format("key%05d", i)), b("snap" + i));
                if (batch.size() == 500) {
                    db.write(batch);
                    batch = new WriteBatch();
                }
            }
            db.flush(FlushType.MEMTABLE);

            connect.configureConnector("big-source", connectorConfig(path, topic,
                    Map.of(SlateDbSourceConfig.MAX_RECORDS_PER_POLL, "3")));
            reader.awaitAtLeast(300);
            connect.restartConnectorAndTasks("big-source", false, true, false);
            int seenAtSnapshotRestart = reader.seen.size();
            assertTrue(seenAtSnapshotRestart < keys, "restarted before the snapshot was delivered: "
                    + seenAtSnapshotRestart);
            // Larger polls for the rest (a reconfiguration restarts the task: a second restart mid-snapshot):
            // three records per exactly-once transaction are slow on a loaded machine.
            connect.configureConnector("big-source", connectorConfig(path, topic,
                    Map.of(SlateDbSourceConfig.MAX_RECORDS_PER_POLL, "200")));
            reader.awaitAtLeast(keys);

            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < streamed; i++) {
                    db.put(b(String.format("key%05d", i % 100)), b("stream" + i));
                }
            });
            reader.awaitAtLeast(keys + 100);
            connect.restartConnectorAndTasks("big-source", false, true, false);
            int seenAtStreamRestart = reader.seen.size();
            writer.get();
            List<ConsumerRecord<byte[], byte[]>> all = reader.awaitAtLeast(keys + streamed);
            assertTrue(seenAtStreamRestart < keys + streamed, "restarted while streaming: " + seenAtStreamRestart);

            Set<String> values = new HashSet<>();
            Map<String, String> last = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : all) {
                assertTrue(values.add(text(record.value())), "delivered twice: " + row(record));
                last.put(text(record.key()), text(record.value()));
            }
            assertEquals(keys + streamed, all.size());
            for (int i = 0; i < 100; i++) {
                int lastWrite = streamed - 100 + i;
                assertEquals("stream" + lastWrite, last.get(String.format("key%05d", i)), "the last write of key " + i);
            }
            // Order per key: the streamed versions of a key come in the order they were written.
            Map<String, Integer> previous = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : all) {
                String value = text(record.value());
                if (value.startsWith("stream")) {
                    int n = Integer.parseInt(value.substring(6));
                    Integer before = previous.put(text(record.key()), n);
                    assertTrue(before == null || before < n, "out of order for " + text(record.key()));
                }
            }
            connect.deleteConnector("big-source");
        }
    }
}
