package io.slatedb.connect.sink;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The databases of one task: the database of each assigned partition, the open handles, and the
 * rewinds of the consumer to the offsets they hold. A handle that fails or is fenced is dropped with its
 * unflushed writes; the next put reopens it while its partitions are still assigned and rewinds them.
 * Used by the task thread only.
 */
final class TaskDatabases {
    private static final Logger LOG = LoggerFactory.getLogger(TaskDatabases.class);

    private final DatabasePathTemplate paths;
    private final Function<String, OpenDatabase> opener;
    private final SinkTaskContext context;
    private final SinkMetrics metrics;
    private final long retryBackoffMs;

    /** The database of each assigned partition, by path. */
    private final Map<TopicPartition, String> assigned = new HashMap<>();
    /** The databases open; an assigned partition whose path is missing here has a dropped handle. */
    private final Map<String, OpenDatabase> open = new HashMap<>();
    /** Per partition, where to rewind if its database is lost before anything of it is durable. */
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    /** Partitions rewound from within put: their records are skipped until the worker has sought. */
    private final Set<TopicPartition> awaitingSeek = new HashSet<>();
    private boolean lastPutCompleted = true;

    TaskDatabases(DatabasePathTemplate paths, Function<String, OpenDatabase> opener, SinkTaskContext context,
                  SinkMetrics metrics, long retryBackoffMs) {
        this.paths = paths;
        this.opener = opener;
        this.context = context;
        this.metrics = metrics;
        this.retryBackoffMs = retryBackoffMs;
    }

    /** How many databases are open. */
    int openCount() {
        return open.size();
    }

    /** Opens the databases of newly assigned partitions and rewinds these to the offsets stored there. */
    void assign(Collection<TopicPartition> partitions) {
        Map<String, List<TopicPartition>> byPath = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            String path = paths.render(tp.topic(), tp.partition());
            assigned.put(tp, path);
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(tp);
        }
        for (Map.Entry<String, List<TopicPartition>> e : byPath.entrySet()) {
            try {
                OpenDatabase database = open.get(e.getKey());
                if (database == null) {
                    database = openDatabase(e.getKey());
                }
                // The worker applies these rewinds right after open, before fetching.
                loadOffsets(database, e.getValue(), false);
            } catch (RuntimeException failure) {
                if (StoreFailures.classify(failure) == StoreFailures.PERMANENT) {
                    throw permanent(e.getKey(), failure);
                }
                LOG.warn("opening database {} failed; retrying on the next put: {}", e.getKey(), failure.toString());
                drop(e.getKey(), failure); // reopened, and rewound, by the next put
            }
        }
    }

    /** Forgets revoked partitions and closes the databases no assigned partition uses any more. */
    void unassign(Collection<TopicPartition> partitions) {
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
        touched.forEach(this::close);
    }

    /**
     * Starts a put: ends the rewinds the worker has applied since the last completed put, and reopens the
     * dropped databases whose partitions are still assigned, rewinding those.
     *
     * @throws RetriableException when a database cannot be reopened yet
     * @throws ConnectException   when it cannot be reopened at all
     */
    void beginPut() {
        if (lastPutCompleted) {
            awaitingSeek.clear(); // the worker sought before the poll that brought this put's records
        }
        lastPutCompleted = false;
        Map<String, List<TopicPartition>> dropped = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, String> e : assigned.entrySet()) {
            if (!open.containsKey(e.getValue())) {
                dropped.computeIfAbsent(e.getValue(), p -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<String, List<TopicPartition>> e : dropped.entrySet()) {
            try {
                loadOffsets(openDatabase(e.getKey()), e.getValue(), true);
                LOG.info("reopened database {}; partitions {} resume from the offsets it holds", e.getKey(), e.getValue());
            } catch (RuntimeException failure) {
                throw failed(e.getKey(), failure);
            }
        }
    }

    /** Ends a put that returned normally: the worker applies this put's rewinds before its next poll. */
    void endPut() {
        lastPutCompleted = true;
    }

    /**
     * The database to write a record of {@code tp} at {@code offset} to, or null when the record is to be
     * skipped: its partition awaits a rewind, or is not assigned.
     */
    OpenDatabase databaseFor(TopicPartition tp, long offset) {
        String path = assigned.get(tp);
        if (path == null || awaitingSeek.contains(tp)) {
            return null;
        }
        firstOffsets.putIfAbsent(tp, offset);
        return open.get(path);
    }

    /**
     * Flushes the WAL of every database written since the last commit, and returns the offsets of
     * {@code current}'s partitions that are durable. A database whose flush fails is dropped: its
     * offsets are left out, and the next put reopens it.
     */
    Map<TopicPartition, OffsetAndMetadata> commit(Map<TopicPartition, OffsetAndMetadata> current) {
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
                LOG.warn("flushing database {} failed; its offsets are not committed: {}", e.getKey().path(),
                        failure.toString());
                drop(e.getKey().path(), failure);
            }
        }
        if (!flushes.isEmpty()) {
            metrics.flush.record(System.nanoTime() - started);
        }
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : current.entrySet()) {
            OpenDatabase database = open.get(assigned.get(e.getKey()));
            Long next = database == null ? null : database.durable(e.getKey());
            if (next != null && next <= e.getValue().offset()) {
                durable.put(e.getKey(), new OffsetAndMetadata(next));
            }
        }
        return durable;
    }

    /** Closes every database (flushing it) and forgets the assignment. */
    void closeAll() {
        new ArrayList<>(open.keySet()).forEach(this::close);
        assigned.clear();
    }

    /**
     * What put throws after the database at {@code path} failed: the handle is dropped, and Connect
     * redelivers after the backoff unless the failure is permanent.
     */
    RuntimeException failed(String path, RuntimeException failure) {
        drop(path, failure);
        if (StoreFailures.classify(failure) == StoreFailures.PERMANENT) {
            return permanent(path, failure);
        }
        context.timeout(retryBackoffMs);
        return new RetriableException("database " + path + " is unavailable; the records are redelivered after "
                + retryBackoffMs + " ms: " + failure.getMessage(), failure);
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
        OpenDatabase database = opener.apply(path);
        open.put(path, database);
        return database;
    }

    private void close(String path) {
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

    private static ConnectException permanent(String path, Throwable failure) {
        return new ConnectException("database " + path + " failed and retrying cannot help: " + failure.getMessage(),
                failure);
    }
}
