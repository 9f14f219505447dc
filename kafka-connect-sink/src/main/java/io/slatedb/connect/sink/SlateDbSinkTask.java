package io.slatedb.connect.sink;

import io.slatedb.Db;
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
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

    private SlateDbSinkConfig config;
    private DatabasePathTemplate paths;
    private RecordBytes recordBytes;
    private SlateDbSinkConfig.TombstoneBehavior tombstones;
    private Settings settings;
    private RetryPolicy retryPolicy;
    private ObjectStore store;
    private PluginMetrics pluginMetrics;
    private MetricRegistry sinkRegistry;
    private SinkMetrics metrics;
    private ErrantRecordReporter reporter;

    /** The database of each assigned partition, by path. */
    private final Map<TopicPartition, String> assigned = new HashMap<>();
    /** The databases open; an assigned partition whose path is missing here has a dropped handle. */
    private final Map<String, OpenDatabase> open = new HashMap<>();
    /** Per partition, where to rewind if its database is lost before anything is durable. */
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    /** Partitions rewound from within put: their records are skipped until the worker has sought. */
    private final Set<TopicPartition> awaitingSeek = new HashSet<>();
    private boolean lastPutCompleted = true;

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
        config = new SlateDbSinkConfig(props);
        paths = config.path();
        recordBytes = new RecordBytes(config.keyPrefix());
        tombstones = config.tombstoneBehavior();
        settings = config.engineSettings();
        retryPolicy = RetryPolicy.DEFAULT.withDeadline(Duration.ofMillis(config.storeRetryTimeoutMs()));
        pluginMetrics = pluginMetrics();
        sinkRegistry = pluginMetrics == null ? new SimpleMetricRegistry()
                : new PluginMetricRegistry(pluginMetrics, Map.of());
        metrics = new SinkMetrics(sinkRegistry, open::size);
        reporter = errantRecordReporter();
        store = storeOpener.apply(config.store());
        LOG.info("SlateDB sink task started: store {}, database path {}", store.describe(), paths.template());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        Map<String, List<TopicPartition>> byPath = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            String path = paths.render(tp.topic(), tp.partition());
            assigned.put(tp, path);
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(tp);
        }
        for (Map.Entry<String, List<TopicPartition>> e : byPath.entrySet()) {
            OpenDatabase database = open.get(e.getKey());
            try {
                if (database == null) {
                    database = openDatabase(e.getKey());
                }
                // The worker applies these rewinds right after open, before fetching.
                loadOffsets(database, e.getValue(), false);
            } catch (RuntimeException failure) {
                if (StoreFailures.classify(failure) == StoreFailures.PERMANENT) {
                    throw permanent(e.getKey(), failure);
                }
                // Reopened, and rewound, by the next put.
                LOG.warn("opening database {} failed; retrying on the next put: {}", e.getKey(), failure.toString());
                drop(e.getKey(), failure);
            }
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (lastPutCompleted) {
            awaitingSeek.clear(); // the worker sought before the poll that brought these records
        }
        lastPutCompleted = false;
        reopenDropped();

        Map<String, Pending> pending = new LinkedHashMap<>();
        List<Future<Void>> reports = new ArrayList<>();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            String path = assigned.get(tp);
            if (path == null || awaitingSeek.contains(tp)) {
                metrics.recordsSkipped.increment();
                continue;
            }
            OpenDatabase database = open.get(path);
            Pending batch = pending.computeIfAbsent(path, p -> new Pending());
            long offset = record.originalKafkaOffset();
            Long next = batch.advanced.containsKey(tp) ? batch.advanced.get(tp) : database.applied(tp);
            if (next != null && offset < next) {
                metrics.recordsSkipped.increment(); // already in the database: a redelivery
                continue;
            }
            firstOffsets.putIfAbsent(tp, offset);
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
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending batch = e.getValue();
            if (batch.advanced.isEmpty()) {
                continue;
            }
            try {
                open.get(e.getKey()).write(batch.batch, batch.advanced);
            } catch (RuntimeException failure) {
                throw failed(e.getKey(), failure);
            }
            metrics.batches.increment();
            metrics.recordsPut.add(batch.puts);
            metrics.recordsDeleted.add(batch.deletes);
            metrics.bytes.add(batch.bytes);
        }
        lastPutCompleted = true;
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
        Map<OpenDatabase, CompletableFuture<Void>> flushes = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (OpenDatabase database : open.values()) {
            CompletableFuture<Void> flush = database.flushAsync();
            if (flush != null) {
                flushes.put(database, flush);
            }
        }
        for (Map.Entry<OpenDatabase, CompletableFuture<Void>> e : flushes.entrySet()) {
            try {
                e.getValue().join();
                e.getKey().flushed();
            } catch (RuntimeException failure) {
                // Its offsets are left out; the next put reopens it and rewinds to what it holds.
                LOG.warn("flushing database {} failed; its offsets are not committed: {}", e.getKey().path(),
                        failure.toString());
                drop(e.getKey().path(), failure);
            }
        }
        if (!flushes.isEmpty()) {
            metrics.flush.record(System.nanoTime() - started);
        }
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : currentOffsets.entrySet()) {
            OpenDatabase database = open.get(assigned.get(e.getKey()));
            Long next = database == null ? null : database.durable(e.getKey());
            if (next != null && next <= e.getValue().offset()) {
                durable.put(e.getKey(), new OffsetAndMetadata(next));
            }
        }
        return durable;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        Set<String> touched = new HashSet<>();
        for (TopicPartition tp : partitions) {
            String path = assigned.remove(tp);
            awaitingSeek.remove(tp);
            firstOffsets.remove(tp);
            if (path != null) {
                touched.add(path);
                OpenDatabase database = open.get(path);
                if (database != null) {
                    database.forget(tp);
                }
            }
        }
        touched.removeAll(assigned.values());
        for (String path : touched) {
            closeDatabase(path);
        }
    }

    @Override
    public void stop() {
        for (String path : new ArrayList<>(open.keySet())) {
            closeDatabase(path);
        }
        assigned.clear();
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

    /** Reopens the databases dropped after a failure whose partitions are still assigned, rewinding them. */
    private void reopenDropped() {
        Map<String, List<TopicPartition>> dropped = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, String> e : assigned.entrySet()) {
            if (!open.containsKey(e.getValue())) {
                dropped.computeIfAbsent(e.getValue(), p -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<String, List<TopicPartition>> e : dropped.entrySet()) {
            try {
                OpenDatabase database = openDatabase(e.getKey());
                loadOffsets(database, e.getValue(), true);
                LOG.info("reopened database {}; partitions {} resume from the offsets it holds", e.getKey(), e.getValue());
            } catch (RuntimeException failure) {
                throw failed(e.getKey(), failure);
            }
        }
    }

    /**
     * Takes the stored offsets of {@code partitions} and rewinds the consumer to them. A partition without
     * a stored offset whose unflushed records were lost is rewound to the first record this task saw.
     */
    private void loadOffsets(OpenDatabase database, List<TopicPartition> partitions, boolean fromPut) {
        for (TopicPartition tp : partitions) {
            Long stored = database.loadOffset(tp);
            Long target = stored != null ? stored : (fromPut ? firstOffsets.get(tp) : null);
            if (target != null) {
                context.offset(tp, target);
                if (fromPut) {
                    awaitingSeek.add(tp);
                }
            }
        }
    }

    private OpenDatabase openDatabase(String path) {
        MetricRegistry registry = pluginMetrics == null ? new SimpleMetricRegistry()
                : new PluginMetricRegistry(pluginMetrics, Map.of("database", path));
        Db db;
        try {
            db = Db.builder(path, store).withSettings(settings).withRetryPolicy(retryPolicy).withMetrics(registry).build();
        } catch (RuntimeException e) {
            if (registry instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // see OpenDatabase#closeMetrics
                }
            }
            throw e;
        }
        OpenDatabase database = new OpenDatabase(path, db, registry);
        open.put(path, database);
        return database;
    }

    private void closeDatabase(String path) {
        OpenDatabase database = open.remove(path);
        if (database == null) {
            return;
        }
        try {
            database.close();
        } catch (RuntimeException e) {
            LOG.warn("closing database {} failed: {}", path, e.toString());
        }
    }

    /** Drops the handle of {@code path} after {@code failure}; its partitions stay assigned. */
    private void drop(String path, Throwable failure) {
        OpenDatabase database = open.remove(path);
        if (database != null) {
            database.abandon();
        }
        if (StoreFailures.classify(failure) == StoreFailures.FENCED) {
            metrics.fenced.increment();
            LOG.warn("database {} was opened by another writer; dropped its unflushed writes", path);
        } else {
            metrics.storeFailures.increment();
        }
    }

    /** The exception put throws after a database failed: Connect redelivers unless it is permanent. */
    private RuntimeException failed(String path, RuntimeException failure) {
        drop(path, failure);
        if (StoreFailures.classify(failure) == StoreFailures.PERMANENT) {
            return permanent(path, failure);
        }
        context.timeout(config.retryBackoffMs());
        return new RetriableException("database " + path + " is unavailable; the records are redelivered after "
                + config.retryBackoffMs() + " ms: " + failure.getMessage(), failure);
    }

    private static ConnectException permanent(String path, Throwable failure) {
        return new ConnectException("database " + path + " failed and retrying cannot help: " + failure.getMessage(),
                failure);
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
