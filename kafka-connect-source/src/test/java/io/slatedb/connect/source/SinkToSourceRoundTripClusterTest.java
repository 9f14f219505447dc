package io.slatedb.connect.source;

import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.connect.sink.SlateDbSinkConnector;
import io.slatedb.testing.S3ProxyServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.converters.ByteArrayConverter;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink connector writes an input topic into a database while the source connector tails that database
 * into a changes topic, both on one worker with exactly-once source support: the changes topic's
 * last-write-wins state, read with a {@code read_committed} consumer, equals the input topic's, deletes
 * included, and none of the sink's reserved offset keys is emitted. Once on a local directory, once on S3
 * (S3Proxy).
 */
@Timeout(300)
class SinkToSourceRoundTripClusterTest {

    private static final long WAIT_MS = 120_000;
    private static final int PARTITIONS = 2;

    @TempDir
    static Path dir;
    private static EmbeddedConnectCluster connect;
    private static S3ProxyServer s3;

    @BeforeAll
    static void startCluster() {
        connect = SourceTestSupport.startExactlyOnceCluster("slatedb-round-trip", Map.of("offset.flush.interval.ms", "500"));
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void roundTripOnALocalDirectory() throws Exception {
        roundTrip("local", SourceTestSupport.storeUrl(dir));
    }

    @Test
    void roundTripOnS3() throws Exception {
        roundTrip("s3", s3.s3Url(s3.freshPrefix()).toString());
    }

    /**
     * Half the input is in the database before the source starts (its snapshot), the other half is written
     * while it streams; a last record per partition marks the end, and since the sink applies a partition in
     * offset order and the source emits in sequence order, the changes topic holds everything once it has
     * both end marks.
     */
    private static void roundTrip(String name, String storeUrl) throws Exception {
        String input = name + "-input";
        String changes = name + "-changes";
        String path = name + "/db";
        connect.kafka().createTopic(input, PARTITIONS);
        connect.kafka().createTopic(changes, 1);
        Map<String, String> expected = new TreeMap<>();

        connect.configureConnector(name + "-sink", sinkConfig(input, storeUrl, path));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name + "-sink", 1, "the sink did not start");
        produce(input, 0, 1500, expected);
        // The source needs the database to exist: the sink creates it with its first commit.
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(changes)) {
            produceEndMarks(input, "first", expected);
            awaitSinkCommitted(name + "-sink", input);

            connect.configureConnector(name + "-source", sourceConfig(storeUrl, path, changes));
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name + "-source", 1,
                    "the source did not start");
            produce(input, 1500, 1500, expected);
            produceEndMarks(input, "last", expected);

            List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            TestUtils.waitForCondition(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().filter(r -> text(r.value()) != null && text(r.value()).startsWith("last"))
                        .count() == PARTITIONS;
            }, WAIT_MS, () -> "the changes topic did not reach the end marks; saw " + seen.size() + " records");

            Map<String, String> state = new TreeMap<>();
            boolean sawTombstone = false;
            for (ConsumerRecord<byte[], byte[]> record : seen) {
                assertFalse(SinkOffsetKeys.isReserved(record.key()), "a reserved key was emitted: " + text(record.key()));
                if (record.value() == null) {
                    sawTombstone = true;
                    state.remove(text(record.key()));
                } else {
                    state.put(text(record.key()), text(record.value()));
                }
            }
            assertTrue(sawTombstone, "deletes written while streaming come as tombstones");
            assertEquals(expected, state);
        } finally {
            connect.deleteConnector(name + "-source");
            connect.deleteConnector(name + "-sink");
        }
    }

    private static Map<String, String> sinkConfig(String topic, String storeUrl, String path) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SlateDbSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", ByteArrayConverter.class.getName());
        config.put("value.converter", ByteArrayConverter.class.getName());
        config.put("slatedb.store", storeUrl);
        config.put("slatedb.path", path);
        return config;
    }

    private static Map<String, String> sourceConfig(String storeUrl, String path, String topic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SlateDbSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put(SlateDbSourceConfig.STORE, storeUrl);
        config.put(SlateDbSourceConfig.PATH, path);
        config.put(SlateDbSourceConfig.TOPIC, topic);
        config.put(SlateDbSourceConfig.POLL_INTERVAL_MS, "50");
        config.put("key.converter", ByteArrayConverter.class.getName());
        config.put("value.converter", ByteArrayConverter.class.getName());
        config.put("exactly.once.support", "required");
        config.put("transaction.boundary", "poll");
        return config;
    }

    /**
     * Produces {@code count} records to each partition, keys of their own partition (so the topic's
     * last-write-wins state does not depend on how partitions interleave), with overwrites, deletes and empty
     * values, and applies them to {@code expected}.
     */
    private static void produce(String topic, int from, int count, Map<String, String> expected) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = from; i < from + count; i++) {
                    String key = "p" + p + "-k" + (i % 211);
                    String value = i % 7 == 3 ? null : i % 31 == 5 ? "" : "v" + i;
                    send(producer, topic, p, key, value, expected);
                }
            }
            producer.flush();
        }
    }

    private static void produceEndMarks(String topic, String mark, Map<String, String> expected) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                send(producer, topic, p, "end-p" + p, mark + "-" + p, expected);
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, String key,
                             String value, Map<String, String> expected) {
        producer.send(new ProducerRecord<>(topic, partition, utf8(key), value == null ? null : utf8(value)));
        if (value == null) {
            expected.remove(key);
        } else {
            expected.put(key, value);
        }
    }

    /** Waits until Connect has committed every input record the sink consumed (so the database exists). */
    private static void awaitSinkCommitted(String connector, String topic) throws InterruptedException {
        TestUtils.waitForCondition(() -> connect.connectorOffsets(connector).offsets().size() == PARTITIONS,
                WAIT_MS, "the sink committed nothing");
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String topic) {
        return connect.kafka().createConsumerAndSubscribeTo(Map.of("isolation.level", "read_committed",
                "auto.offset.reset", "earliest", "group.id", "round-trip-" + UUID.randomUUID()), topic);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
