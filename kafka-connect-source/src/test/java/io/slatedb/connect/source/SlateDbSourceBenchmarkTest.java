package io.slatedb.connect.source;

import io.slatedb.Db;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The source connector's throughput and latency on an in-JVM Connect cluster with exactly-once on
 * (run with {@code -Dslatedb.bench=true}; {@code -Dslatedb.bench.records=N} sets the backlog, default
 * 1,000,000). Prints, for Connect's default producer settings and for the README's recommended ones:
 * records per second of catching up on a backlog of writes (the connector created after the writes;
 * elapsed time to the last record consumed with {@code read_committed}), and the latency from
 * {@code Db.put} acknowledged to the record consumed (p50/p99 of sequential puts while caught up).
 */
@EnabledIfSystemProperty(named = "slatedb.bench", matches = "true")
@Timeout(1800)
class SlateDbSourceBenchmarkTest {

    private static final int RECORDS = Integer.getInteger("slatedb.bench.records", 1_000_000);
    private static final int LATENCY_SAMPLES = Integer.getInteger("slatedb.bench.latency.samples", 1000);
    private static final long POLL_INTERVAL_MS = 200;
    private static EmbeddedConnectCluster connect;
    @TempDir
    static Path dir;
    private static ObjectStore store;

    @BeforeAll
    static void startCluster() {
        connect = SourceTestSupport.startExactlyOnceCluster("slatedb-source-bench", Map.of("connector.client.config.override.policy", "All"));
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

    private static Map<String, String> config(String path, String topic, Map<String, String> producer) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SlateDbSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put(SlateDbSourceConfig.STORE, SourceTestSupport.storeUrl(dir));
        config.put(SlateDbSourceConfig.PATH, path);
        config.put(SlateDbSourceConfig.TOPIC, topic);
        config.put(SlateDbSourceConfig.START_FROM, "earliest");
        config.put(SlateDbSourceConfig.POLL_INTERVAL_MS, Long.toString(POLL_INTERVAL_MS));
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("exactly.once.support", "required");
        config.put("transaction.boundary", "poll");
        config.putAll(producer);
        return config;
    }

    /** Connect's default producer settings. */
    @Test
    void defaultProducerSettings() throws Exception {
        run("defaults", Map.of());
    }

    /** The producer settings the README recommends. */
    @Test
    void recommendedProducerSettings() throws Exception {
        run("recommended", Map.of("producer.override.linger.ms", "20", "producer.override.batch.size", "1048576"));
    }

    /**
     * Producer settings given as {@code -Dslatedb.bench.producer=linger.ms=20,batch.size=1048576} (each
     * becomes a {@code producer.override.}), and other connector options as
     * {@code -Dslatedb.bench.connector=transaction.boundary=interval,...}; skipped when neither is given.
     */
    @Test
    void settingsFromProperties() throws Exception {
        String producer = System.getProperty("slatedb.bench.producer", "");
        String connector = System.getProperty("slatedb.bench.connector", "");
        org.junit.jupiter.api.Assumptions.assumeTrue(!producer.isBlank() || !connector.isBlank(),
                "no settings given");
        Map<String, String> settings = new HashMap<>();
        for (String pair : producer.split(",")) {
            if (!pair.isBlank()) {
                settings.put("producer.override." + pair.substring(0, pair.indexOf('=')),
                        pair.substring(pair.indexOf('=') + 1));
            }
        }
        for (String pair : connector.split(",")) {
            if (!pair.isBlank()) {
                settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        run("custom " + settings, settings);
    }

    /** The task alone, without Kafka: how fast it turns the backlog into records (the connector's ceiling). */
    @Test
    void taskAlone() throws Exception {
        String path = "bench-task";
        try (Db db = Db.builder(path, store).withSettings(SourceTestSupport.WRITER).build()) {
            double writeSeconds = writeBacklog(db);
            Map<String, String> props = config(path, "unused", Map.of());
            props.put("name", path);
            try (TaskHarness harness = new TaskHarness(props, java.time.Clock.systemUTC())) {
                long start = System.nanoTime();
                harness.start();
                long seen = 0;
                while (seen < RECORDS) {
                    List<org.apache.kafka.connect.source.SourceRecord> records = harness.pollOnce();
                    seen += records.size();
                    harness.commit(records);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH task alone: backlog %d writes (written in %.1f s); %.1f s = %.0f records/s%n",
                        RECORDS, writeSeconds, seconds, RECORDS / seconds);
            }
        }
    }

    /** {@link #RECORDS} puts of 100-byte values, many in flight at once; returns the seconds taken. */
    private static double writeBacklog(Db db) {
        long writeStart = System.nanoTime();
        List<CompletableFuture<?>> window = new ArrayList<>();
        byte[] value = new byte[100];
        for (int i = 0; i < RECORDS; i++) {
            window.add(db.putAsync(key(i), value));
            if (window.size() == 10_000) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
        return (System.nanoTime() - writeStart) / 1e9;
    }

    private void run(String name, Map<String, String> producer) throws Exception {
        String path = "bench-" + Integer.toHexString(name.hashCode());
        String topic = path;
        connect.kafka().createTopic(topic, 1);
        try (Db db = Db.builder(path, store).withSettings(SourceTestSupport.WRITER).build()) {
            double writeSeconds = writeBacklog(db);
            byte[] value = new byte[100];

            try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(Map.of(
                    "isolation.level", "read_committed", "auto.offset.reset", "earliest",
                    "group.id", "bench-" + UUID.randomUUID(), "max.poll.records", "10000",
                    "fetch.max.bytes", "52428800", "max.partition.fetch.bytes", "10485760"), topic)) {
                long start = System.nanoTime();
                connect.configureConnector(path, config(path, topic, producer));
                long seen = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (seen < RECORDS && System.nanoTime() < deadline) {
                    seen += consumer.poll(Duration.ofMillis(200)).count();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(RECORDS, seen, "every record of the backlog consumed");

                // Latency: sequential durable puts while the connector is caught up.
                Map<Integer, Long> acked = new ConcurrentHashMap<>();
                long[] latencies = new long[LATENCY_SAMPLES];
                int received = 0;
                for (int i = 0; i < LATENCY_SAMPLES; i++) {
                    db.put(key(RECORDS + i), value);
                    acked.put(RECORDS + i, System.nanoTime());
                    // Drain what has arrived without waiting, so puts keep a steady pace.
                    received = collect(consumer, Duration.ZERO, acked, latencies, received);
                }
                long latencyDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (received < LATENCY_SAMPLES && System.nanoTime() < latencyDeadline) {
                    received = collect(consumer, Duration.ofMillis(100), acked, latencies, received);
                }
                assertEquals(LATENCY_SAMPLES, received);
                Arrays.sort(latencies);
                System.out.printf("BENCH %s: backlog %d writes (written in %.1f s); catch-up %.1f s = %.0f records/s "
                                + "with exactly-once; latency put-acknowledged to consumed p50 %.1f ms, p99 %.1f ms, "
                                + "max %.1f ms (poll interval %d ms, %d samples)%n", name, RECORDS, writeSeconds,
                        seconds, RECORDS / seconds, latencies[LATENCY_SAMPLES / 2] / 1e6,
                        latencies[(int) (LATENCY_SAMPLES * 0.99)] / 1e6, latencies[LATENCY_SAMPLES - 1] / 1e6,
                        POLL_INTERVAL_MS, LATENCY_SAMPLES);
            }
            connect.deleteConnector(path);
        }
    }

    private static int collect(KafkaConsumer<byte[], byte[]> consumer, Duration timeout, Map<Integer, Long> acked,
                               long[] latencies, int received) {
        long now;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            now = System.nanoTime();
            Long at = acked.get(ByteBuffer.wrap(record.key()).getInt());
            if (at != null && received < latencies.length) {
                latencies[received++] = Math.max(0, now - at);
            }
        }
        return received;
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(i).array();
    }
}
