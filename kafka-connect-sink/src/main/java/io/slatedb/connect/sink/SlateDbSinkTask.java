package io.slatedb.connect.sink;

import io.slatedb.Settings;
import io.slatedb.WriteBatch;
import io.slatedb.connect.PluginMetricRegistry;
import io.slatedb.connect.StoreConfig;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Writes records into SlateDB databases, exactly once.
 *
 * <p>Each {@link #put} turns its records, in offset order per partition, into one {@link WriteBatch} per
 * database, holding also the next offset to consume of each partition it covers (under
 * {@link io.slatedb.connect.SinkOffsetKeys}), written without waiting for durability. {@link #preCommit}
 * flushes the WAL of each database written since the last commit and returns only offsets that are
 * durable. {@link #open} reads the stored offsets and rewinds the consumer to them; records below a
 * partition's stored offset (redeliveries) are skipped, so the database holds each record's effect once.
 *
 * <p>A database whose handle fails (a store outage outlasting the retries) or is fenced (another writer
 * opened it) is dropped with its unflushed writes; the next {@code put} reopens it while its partitions are
 * still assigned, and rewinds them to the offsets it holds.
 */
public class SlateDbSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(SlateDbSinkTask.class);

    private final Function<String, ObjectStore> storeOpener;

    private RecordBytes recordBytes;
    private SlateDbSinkConfig.TombstoneBehavior tombstones;
    private ObjectStore store;
    private MetricRegistry sinkRegistry;
    private SinkMetrics metrics;
    private ErrantRecordReporter reporter;
    private TaskDatabases databases;

    /** The task Connect creates: it opens the store {@value StoreConfig#STORE} names. */
    public SlateDbSinkTask() {
        this(StoreConfig::open);
    }

    /** A task that opens its object store with {@code storeOpener} (given the store URL). */
    SlateDbSinkTask(Function<String, ObjectStore> storeOpener) {
        this.storeOpener = storeOpener;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        SlateDbSinkConfig config = new SlateDbSinkConfig(props);
        DatabasePathTemplate paths = config.path();
        recordBytes = new RecordBytes(config.keyPrefix());
        tombstones = config.tombstoneBehavior();
        Settings settings = config.engineSettings();
        RetryPolicy retryPolicy = RetryPolicy.DEFAULT.withDeadline(Duration.ofMillis(config.storeRetryTimeoutMs()));
        PluginMetrics pluginMetrics = pluginMetrics();
        sinkRegistry = pluginMetrics == null ? new SimpleMetricRegistry()
                : new PluginMetricRegistry(pluginMetrics, Map.of());
        metrics = new SinkMetrics(sinkRegistry, () -> databases == null ? 0 : databases.openCount());
        reporter = errantRecordReporter();
        store = storeOpener.apply(config.store());
        databases = new TaskDatabases(paths, path -> OpenDatabase.open(path, store, settings, retryPolicy, pluginMetrics),
                context, metrics, config.retryBackoffMs());
        LOG.info("SlateDB sink task started: store {}, database path {}", store.describe(), paths.template());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        databases.assign(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        databases.beginPut();
        Map<OpenDatabase, Pending> pending = new LinkedHashMap<>();
        List<Future<Void>> reports = new ArrayList<>();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            long offset = record.originalKafkaOffset();
            OpenDatabase database = databases.databaseFor(tp, offset);
            if (database == null) {
                metrics.recordsSkipped.increment(); // awaiting a rewind
                continue;
            }
            Pending batch = pending.computeIfAbsent(database, d -> new Pending());
            Long next = batch.advanced.containsKey(tp) ? batch.advanced.get(tp) : database.applied(tp);
            if (next != null && offset < next) {
                metrics.recordsSkipped.increment(); // already in the database: a redelivery
                continue;
            }
            try {
                apply(record, batch);
            } catch (DataException e) {
                if (reporter == null) {
                    throw e;
                }
                reports.add(reporter.report(record, e));
                metrics.recordsReported.increment();
            }
            batch.advanced.put(tp, offset + 1);
        }
        // A reported record's offset is stored with the batch: its report must be delivered first.
        awaitReports(reports);
        for (Map.Entry<OpenDatabase, Pending> e : pending.entrySet()) {
            Pending batch = e.getValue();
            if (batch.advanced.isEmpty()) {
                continue;
            }
            try {
                e.getKey().write(batch.batch, batch.advanced);
            } catch (RuntimeException failure) {
                throw databases.failed(e.getKey().path(), failure);
            }
            metrics.batches.increment();
            metrics.recordsPut.add(batch.puts);
            metrics.recordsDeleted.add(batch.deletes);
            metrics.bytes.add(batch.bytes);
        }
        databases.endPut();
    }

    private void apply(SinkRecord record, Pending batch) {
        byte[] key = recordBytes.key(record);
        if (record.value() == null) {
            switch (tombstones) {
                case DELETE -> {
                    batch.batch.delete(key);
                    batch.deletes++;
                    batch.bytes += key.length;
                }
                case IGNORE -> metrics.tombstonesIgnored.increment();
                case FAIL -> throw new DataException("the record " + RecordBytes.coordinates(record)
                        + " is a tombstone (null value) and " + SlateDbSinkConfig.TOMBSTONE_BEHAVIOR + " is fail");
            }
            return;
        }
        byte[] value = recordBytes.value(record);
        batch.batch.put(key, value);
        batch.puts++;
        batch.bytes += key.length + value.length;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return databases.commit(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        databases.unassign(partitions);
    }

    @Override
    public void stop() {
        if (databases != null) {
            databases.closeAll();
        }
        if (sinkRegistry instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // metrics removal does not fail in practice
            }
        }
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                LOG.warn("closing the object store failed: {}", e.toString());
            }
            store = null;
        }
    }

    private static void awaitReports(List<Future<Void>> reports) {
        for (Future<Void> report : reports) {
            try {
                report.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while reporting a bad record", e);
            } catch (ExecutionException e) {
                throw new ConnectException("reporting a bad record failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private PluginMetrics pluginMetrics() {
        try {
            return context.pluginMetrics();
        } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException e) {
            return null; // a worker older than Kafka 4.1: the task runs without its own metrics
        }
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }

    /** What one put writes to one database. */
    private static final class Pending {
        final WriteBatch batch = new WriteBatch();
        final Map<TopicPartition, Long> advanced = new HashMap<>();
        long puts;
        long deletes;
        long bytes;
    }
}
