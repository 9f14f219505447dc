package io.slatedb.connect.sink;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records per second of one sink task: 1M records, 16-byte keys and 100-byte values, through the task API
 * (put in batches of 500 as the worker delivers them, a commit every 100 batches) and end to end through an
 * embedded worker (from creating the connector until Connect has committed the last offset, which the sink
 * only does once it is durable), with Connect's FileStreamSink on the same topic beside it. Not part of the
 * build: {@code mvn -o -pl slatedb-engine,kafka-connect-common,kafka-connect-sink test -Dtest=SlateDbSinkBenchmark
 * -Dslatedb.bench=true -Dsurefire.failIfNoSpecifiedTests=false}; figures go to standard output.
 */
@EnabledIfSystemProperty(named = "slatedb.bench", matches = "true")
@Timeout(1800)
class SlateDbSinkBenchmark {
    private static final int RECORDS = Integer.getInteger("slatedb.bench.records", 1_000_000);
    private static final int BATCH = 500;
    private static final TopicPartition TP = new TopicPartition("bench", 0);

    @TempDir
    Path dir;

    private static byte[] key(long i) {
        // 16 bytes: a mixed counter (keys spread over the key space) and the counter itself.
        long mixed = i * 0x9E3779B97F4A7C15L;
        byte[] key = new byte[16];
        for (int b = 0; b < 8; b++) {
            key[b] = (byte) (mixed >>> (56 - 8 * b));
            key[8 + b] = (byte) (i >>> (56 - 8 * b));
        }
        return key;
    }

    private static byte[][] values() {
        Random random = new Random(42);
        byte[][] values = new byte[1024][100];
        for (byte[] v : values) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) ('a' + random.nextInt(26));
            }
        }
        return values;
    }

    @Test
    void throughTheTaskApi() throws Exception {
        byte[][] values = values();
        Map<String, String> props = Map.of("slatedb.store", "file://" + dir.toAbsolutePath(), "slatedb.path", "bench",
                "topics", "bench");
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            String path = "bench" + round;
            Map<String, String> roundProps = new HashMap<>(props);
            roundProps.put("slatedb.path", path);
            roundProps.putAll(extraSettings());
            SlateDbSinkTask task = new SlateDbSinkTask();
            FakeSinkTaskContext context = new FakeSinkTaskContext(roundProps);
            task.initialize(context);
            task.start(roundProps);
            task.open(List.of(TP));
            int records = round == 0 ? RECORDS / 5 : RECORDS;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long offset = 0;
            int batches = 0;
            while (offset < records) {
                List<SinkRecord> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH && offset < records; i++, offset++) {
                    batch.add(new SinkRecord("bench", 0, null, key(offset), null, values[(int) (offset & 1023)], offset));
                }
                task.put(batch);
                if (++batches % 100 == 0) {
                    task.preCommit(Map.of(TP, new OffsetAndMetadata(offset)));
                }
            }
            Map<TopicPartition, OffsetAndMetadata> last = task.preCommit(Map.of(TP, new OffsetAndMetadata(offset)));
            long nanos = System.nanoTime() - start;
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
            assertEquals(Map.of(TP, new OffsetAndMetadata(records)), last);
            task.close(List.of(TP));
            task.stop();
            if (round == 1) {
                report("task API (put + preCommit, durable)", records, nanos);
                // The machine is shared: the task thread's CPU time tells what the task itself costs.
                report("task API, per CPU second of the task thread", records, cpuNanos);
            }
        }
    }

    @Test
    void throughTheEmbeddedWorkerBesideFileStreamSink() throws Exception {
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        EmbeddedConnectCluster connect = (EmbeddedConnectCluster) new EmbeddedConnectCluster.Builder()
                .name("slatedb-sink-bench").numWorkers(1).numBrokers(1).brokerProps(broker).workerProps(worker).build();
        connect.start();
        try {
            connect.kafka().createTopic("bench", 1);
            byte[][] values = values();
            long produceStart = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(
                    Map.of("linger.ms", 20, "batch.size", 1 << 20, "compression.type", "lz4"))) {
                for (long i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("bench", 0, key(i), values[(int) (i & 1023)]));
                }
                producer.flush();
            }
            System.out.printf("produced %d records in %.1f s%n", RECORDS, (System.nanoTime() - produceStart) / 1e9);

            Map<String, String> sink = new HashMap<>();
            sink.put("connector.class", SlateDbSinkConnector.class.getName());
            sink.put("tasks.max", "1");
            sink.put("topics", "bench");
            sink.put("key.converter", ByteArrayConverter.class.getName());
            sink.put("value.converter", ByteArrayConverter.class.getName());
            sink.put("slatedb.store", "file://" + dir.toAbsolutePath());
            sink.put("slatedb.path", "worker-bench");
            sink.putAll(extraSettings());
            report("embedded worker, SlateDB sink", RECORDS, timeToCommitAll(connect, "slatedb-bench", sink));

            Path file = dir.resolve("file-sink.txt");
            Map<String, String> fileSink = new HashMap<>();
            fileSink.put("connector.class", FileStreamSinkConnector.class.getName());
            fileSink.put("tasks.max", "1");
            fileSink.put("topics", "bench");
            fileSink.put("key.converter", ByteArrayConverter.class.getName());
            fileSink.put("value.converter", StringConverter.class.getName());
            fileSink.put("file", file.toString());
            report("embedded worker, FileStreamSink", RECORDS, timeToCommitAll(connect, "file-bench", fileSink));
            System.out.printf("file sink wrote %d bytes%n", Files.size(file));

            try (ObjectStore store = ObjectStores.resolve("file://" + dir.toAbsolutePath())) {
                SinkDatabaseModel.read(store, "worker-bench").offsets().forEach((tp, next) ->
                        assertEquals(RECORDS, next, "the database holds every record's offset"));
            }
        } finally {
            connect.stop();
        }
    }

    /** Nanoseconds from creating the connector until Connect has committed offset {@link #RECORDS}. */
    private static long timeToCommitAll(EmbeddedConnectCluster connect, String name, Map<String, String> config)
            throws InterruptedException {
        long start = System.nanoTime();
        connect.configureConnector(name, config);
        TestUtils.waitForCondition(() -> {
            List<ConnectorOffset> offsets = connect.connectorOffsets(name).offsets();
            return offsets.size() == 1 && ((Number) offsets.get(0).offset().get("kafka_offset")).longValue() == RECORDS;
        }, 1_200_000, 50, () -> name + " did not commit every record");
        long nanos = System.nanoTime() - start;
        // The machine is shared: the task thread's CPU time tells what the task itself costs.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("task-thread-" + name + "-0")) {
                report("  " + name + " per CPU second of its task thread", RECORDS, threads.getThreadCpuTime(thread.getId()));
            }
        }
        connect.deleteConnector(name);
        return nanos;
    }

    /** Connector settings to try, from {@code -Dslatedb.bench.settings=name=value,name=value}. */
    private static Map<String, String> extraSettings() {
        Map<String, String> extra = new HashMap<>();
        for (String pair : System.getProperty("slatedb.bench.settings", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                extra.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return extra;
    }

    private static void report(String what, long records, long nanos) {
        System.out.printf("BENCH %-40s %,d records in %.2f s = %,.0f records/s%n", what, records, nanos / 1e9,
                records / (nanos / 1e9));
    }
}
