package io.slatedb.connect.source;

import io.slatedb.Db;
import io.slatedb.GarbageCollector;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.GarbageCollectorResult;
import io.slatedb.Settings;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What the source tests share: writer settings, a WAL-only collector, and records as readable rows. */
final class SourceTestSupport {

    /** A writer whose WAL is flushed at once and that collects and compacts nothing by itself. */
    static final Settings WRITER = Settings.builder().flushInterval(Duration.ofMillis(5)).compactorOptions(null)
            .garbageCollectorOptions(null).build();

    private static final GarbageCollectorDirectoryOptions AT_ONCE =
            new GarbageCollectorDirectoryOptions(Duration.ofMinutes(10), Duration.ZERO, false);
    /** Collects every WAL file below the writer's L0 that no checkpoint or slot holds. */
    static final GarbageCollectorOptions WAL_ONLY = GarbageCollectorOptions.builder().walOptions(AT_ONCE)
            .walFenceOptions(AT_ONCE).manifestOptions(null).compactedOptions(null).compactionsOptions(null)
            .detachOptions(null).build();

    private SourceTestSupport() {
    }

    /**
     * Starts a one-broker, one-worker cluster with exactly-once source support (the broker's transaction
     * log fits one broker) and ServiceLoader plugin discovery; {@code extraWorkerProps} are added to the
     * worker's properties.
     */
    static EmbeddedConnectCluster startExactlyOnceCluster(String name, Map<String, String> extraWorkerProps) {
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        Map<String, String> worker = new HashMap<>(); // the harness adds to it: must be mutable
        worker.put("plugin.discovery", "service_load");
        worker.put("exactly.once.source.support", "enabled");
        worker.putAll(extraWorkerProps);
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name(name).numWorkers(1).numBrokers(1)
                .brokerProps(broker).workerProps(worker).build();
        connect.start();
        return connect;
    }

    static String storeUrl(Path dir) {
        return dir.toUri().toString().replaceFirst("^file:/+", "file:///");
    }

    static Map<String, String> props(Path dir, String path) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "test-source");
        props.put(SlateDbSourceConfig.STORE, storeUrl(dir));
        props.put(SlateDbSourceConfig.PATH, path);
        props.put(SlateDbSourceConfig.TOPIC, "cdc.${path}");
        props.put(SlateDbSourceConfig.POLL_INTERVAL_MS, "20");
        return props;
    }

    static Db open(ObjectStore store, String path) {
        return Db.builder(path, store).withSettings(WRITER).build();
    }

    static GarbageCollectorResult collectWal(ObjectStore store, String path, Clock clock) {
        try (GarbageCollector gc = GarbageCollector.builder(path, store).withOptions(WAL_ONLY).withClock(clock)
                .build()) {
            return gc.runOnce(false);
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(Object bytes) {
        return bytes == null ? null : new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    /** A record as "key=value@operation" ("key=null@delete" for a tombstone). */
    static String row(SourceRecord record) {
        return s(record.key()) + "=" + s(record.value()) + "@" + header(record, ChangeRecords.HEADER_OPERATION);
    }

    static List<String> rows(List<SourceRecord> records) {
        return records.stream().map(SourceTestSupport::row).toList();
    }

    static Object header(SourceRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null ? null : header.value();
    }
}
