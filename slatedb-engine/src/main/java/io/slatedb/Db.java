package io.slatedb;

import io.slatedb.db.DbCore;
import io.slatedb.db.WriteOp;
import io.slatedb.format.DbLayout;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.reader.LsmScan;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.Futures;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A SlateDB database opened as its single writer. Data lives in the object store under {@code path};
 * the files are those of SlateDB 0.12 and later, so the Rust library and its bindings open the same
 * database.
 *
 * <p><b>Writes</b> get one sequence number per call (a {@link WriteBatch} is atomic) and are applied
 * in memory at once; by default a write returns only when the WAL file holding it is stored
 * ({@link WriteOptions#DEFAULT}), which takes up to {@code flush_interval}. With
 * {@link WriteOptions#NO_AWAIT} it returns at once and {@link WriteHandle#durable()} tells when it is
 * durable. <b>Reads</b> see every write applied before them (unless {@link ReadOptions} ask for durable
 * data only), newest version first: memtables, then L0 SSTs, then sorted runs.
 *
 * <p>Opening fences any earlier writer of the database; a fenced writer's calls fail with kind
 * {@link ErrorKind#CLOSED} and reason {@link CloseReason#FENCED}. Thread-safe. Close it to flush
 * everything to object storage and stop its threads; the store itself stays open (its owner closes it).
 */
public final class Db extends ReadMethods implements AutoCloseable {
    private final DbCore core;
    private final MetricRegistry metrics;
    private final HandleLease lease;

    Db(DbCore core, MetricRegistry metrics, HandleLease lease) {
        this.core = core;
        this.metrics = metrics;
        this.lease = lease;
    }

    /**
     * Opens (or creates) the database at {@code path} in {@code store} with {@link Settings#DEFAULT}.
     *
     * <p>A <b>database path</b>, here and for every other handle ({@link DbReader}, {@link Admin},
     * {@link Compactor}, {@link GarbageCollector}, {@link WalChangeFeed}, {@link CloneSource}), is one or
     * more names joined by {@code /}: no leading or trailing {@code /}, no empty, {@code .} or {@code ..}
     * name, and otherwise the rules of an object path ({@link io.slatedb.store.StorePaths}). Its objects
     * are {@code <path>/manifest/}, {@code wal/}, {@code compacted/}, {@code compactions/}, {@code gc/}
     * and {@code <path>/.deleting}; a database at {@code <path>/child} is another database. Paths are
     * never normalized: {@code ""}, {@code /db}, {@code db/} and {@code a//b} are refused.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID}, naming the path, when {@code path} is not
     *                          a database path (before the store is touched)
     */
    public static Db open(String path, ObjectStore store) {
        return builder(path, store).build();
    }

    /**
     * A builder for opening the database at {@code path} (a database path, see {@link #open}) in
     * {@code store} with other options.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static Builder builder(String path, ObjectStore store) {
        return new Builder(path, store);
    }

    // ---------------------------------------------------------------- writes

    /** Puts {@code value} under {@code key} and waits until it is durable. */
    public WriteHandle put(byte[] key, byte[] value) {
        return put(key, value, PutOptions.DEFAULT, WriteOptions.DEFAULT);
    }

    /** Puts {@code value} under {@code key} with a time to live, and waits until it is durable. */
    public WriteHandle put(byte[] key, byte[] value, PutOptions options) {
        return put(key, value, options, WriteOptions.DEFAULT);
    }

    /** Puts {@code value} under {@code key}; waits for durability as {@code writeOptions} say. */
    public WriteHandle put(byte[] key, byte[] value, PutOptions options, WriteOptions writeOptions) {
        return Futures.join(putAsync(key, value, options, writeOptions));
    }

    /** {@link #put(byte[], byte[])} without blocking. */
    public CompletableFuture<WriteHandle> putAsync(byte[] key, byte[] value) {
        return putAsync(key, value, PutOptions.DEFAULT, WriteOptions.DEFAULT);
    }

    /** {@link #put(byte[], byte[], PutOptions, WriteOptions)} without blocking. */
    public CompletableFuture<WriteHandle> putAsync(byte[] key, byte[] value, PutOptions options,
                                                   WriteOptions writeOptions) {
        WriteBatch.Op op = new WriteBatch.Op(key, WriteBatch.OpKind.PUT, value, Objects.requireNonNull(options, "options"));
        return core.write(List.of(engineOp(op)), writeOptions.awaitDurable());
    }

    /** Deletes {@code key} and waits until the delete is durable. */
    public WriteHandle delete(byte[] key) {
        return delete(key, WriteOptions.DEFAULT);
    }

    /** Deletes {@code key}; waits for durability as {@code writeOptions} say. */
    public WriteHandle delete(byte[] key, WriteOptions writeOptions) {
        return Futures.join(deleteAsync(key, writeOptions));
    }

    /** {@link #delete(byte[], WriteOptions)} without blocking. */
    public CompletableFuture<WriteHandle> deleteAsync(byte[] key, WriteOptions writeOptions) {
        WriteBatch.Op op = new WriteBatch.Op(key, WriteBatch.OpKind.DELETE, null, null);
        return core.write(List.of(engineOp(op)), writeOptions.awaitDurable());
    }

    /**
     * Merges {@code operand} into {@code key} and waits until it is durable: reads then see the
     * key's value folded with the operand by the database's {@link MergeOperator}
     * ({@link Builder#withMergeOperator}).
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the database has no merge operator
     */
    public WriteHandle merge(byte[] key, byte[] operand) {
        return merge(key, operand, MergeOptions.DEFAULT, WriteOptions.DEFAULT);
    }

    /** Merges {@code operand} into {@code key} with a time to live, and waits until it is durable. */
    public WriteHandle merge(byte[] key, byte[] operand, MergeOptions options) {
        return merge(key, operand, options, WriteOptions.DEFAULT);
    }

    /** Merges {@code operand} into {@code key}; waits for durability as {@code writeOptions} say. */
    public WriteHandle merge(byte[] key, byte[] operand, MergeOptions options, WriteOptions writeOptions) {
        return Futures.join(mergeAsync(key, operand, options, writeOptions));
    }

    /** {@link #merge(byte[], byte[])} without blocking. */
    public CompletableFuture<WriteHandle> mergeAsync(byte[] key, byte[] operand) {
        return mergeAsync(key, operand, MergeOptions.DEFAULT, WriteOptions.DEFAULT);
    }

    /** {@link #merge(byte[], byte[], MergeOptions, WriteOptions)} without blocking. */
    public CompletableFuture<WriteHandle> mergeAsync(byte[] key, byte[] operand, MergeOptions options,
                                                     WriteOptions writeOptions) {
        WriteBatch.Op op = new WriteBatch.Op(key, WriteBatch.OpKind.MERGE, operand,
                Objects.requireNonNull(options, "options"));
        return core.write(List.of(engineOp(op)), writeOptions.awaitDurable());
    }

    /**
     * Applies every operation of {@code batch} atomically, with one sequence number, and waits until
     * it is durable.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} for an empty batch
     */
    public WriteHandle write(WriteBatch batch) {
        return write(batch, WriteOptions.DEFAULT);
    }

    /** Applies {@code batch} atomically; waits for durability as {@code writeOptions} say. */
    public WriteHandle write(WriteBatch batch, WriteOptions writeOptions) {
        return Futures.join(writeAsync(batch, writeOptions));
    }

    /** {@link #write(WriteBatch)} without blocking. */
    public CompletableFuture<WriteHandle> writeAsync(WriteBatch batch) {
        return writeAsync(batch, WriteOptions.DEFAULT);
    }

    /** {@link #write(WriteBatch, WriteOptions)} without blocking. */
    public CompletableFuture<WriteHandle> writeAsync(WriteBatch batch, WriteOptions writeOptions) {
        List<WriteBatch.Op> ops = batch.ops();
        List<WriteOp> engineOps = new ArrayList<>(ops.size());
        for (WriteBatch.Op op : ops) {
            engineOps.add(engineOp(op));
        }
        return core.write(engineOps, writeOptions.awaitDurable());
    }

    /** The op as the writer applies it, sharing its arrays: the op already copied them from the caller. */
    private static WriteOp engineOp(WriteBatch.Op op) {
        ValueKind kind = switch (op.kind()) {
            case PUT -> ValueKind.VALUE;
            case DELETE -> ValueKind.TOMBSTONE;
            case MERGE -> ValueKind.MERGE_OPERAND;
        };
        return new WriteOp(op.sharedKey(), kind, op.sharedValue(), op.options());
    }

    // ---------------------------------------------------------------- reads

    @Override
    CompletableFuture<RowEntry> readRow(byte[] key, ReadOptions options) {
        return core.get(key, options);
    }

    @Override
    LsmScan scanRows(KeyRange range, ScanOptions options) {
        return core.scan(range, options);
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Creates a checkpoint: a pin on one manifest version that keeps the database's state as of that
     * manifest readable (its SSTs and WAL files are not garbage collected) until the checkpoint is
     * deleted or expires. The manifest update goes through this writer, in order with its L0 flushes.
     *
     * <p>{@link CheckpointScope#ALL} first flushes the WAL and the memtables to L0, so the checkpoint
     * contains every write issued before the call; {@link CheckpointScope#DURABLE} flushes nothing: the
     * checkpoint contains what is in L0 and below plus the durable WAL files not yet in L0 (which
     * readers of the checkpoint replay). Without {@link CheckpointOptions#source()} the checkpoint pins
     * the manifest that adds it; with one, the source checkpoint's manifest. Checkpoints that have
     * expired are dropped from the manifest in the same update. Manage checkpoints with {@link Admin}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when the source checkpoint does not exist,
     *                          {@link ErrorKind#INVALID} for a lifetime beyond what a manifest stores,
     *                          {@link ErrorKind#CLOSED} when the database is closed or fenced
     */
    public CheckpointCreateResult createCheckpoint(CheckpointScope scope, CheckpointOptions options) {
        return Futures.join(createCheckpointAsync(scope, options));
    }

    /** {@link #createCheckpoint(CheckpointScope, CheckpointOptions)} without blocking. */
    public CompletableFuture<CheckpointCreateResult> createCheckpointAsync(CheckpointScope scope,
                                                                       CheckpointOptions options) {
        return core.createCheckpoint(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(options, "options"));
    }

    // ---------------------------------------------------------------- flush, close, state

    /** Makes every write issued so far durable: {@link FlushType#WAL}. */
    public void flush() {
        flush(FlushType.WAL);
    }

    /** Flushes the WAL, or the memtables through to L0 and the manifest. */
    public void flush(FlushType type) {
        Futures.join(flushAsync(type));
    }

    /** {@link #flush(FlushType)} without blocking. */
    public CompletableFuture<Void> flushAsync(FlushType type) {
        return core.flush(Objects.requireNonNull(type, "type"));
    }

    /** The metrics registry this database publishes to. */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** The settings this database runs with. */
    public Settings settings() {
        return core.settings();
    }

    /** The last sequence number assigned to a write (unsigned). */
    public long lastSeq() {
        return core.lastSeq();
    }

    /** The highest sequence number durable in object storage (unsigned). */
    public long durableSeq() {
        return core.durableSeq();
    }

    /**
     * Flushes everything to object storage (memtables to L0, the manifest updated) and stops the
     * database's threads. Later calls fail with kind {@link ErrorKind#CLOSED}, reason
     * {@link CloseReason#CLEAN}. Closing again does nothing. A fenced or failed database is closed
     * without flushing.
     */
    @Override
    public void close() {
        try {
            core.close();
        } finally {
            lease.close();
        }
    }

    /**
     * Opens a {@link Db} with non-default options: {@code Db.builder(path, store).withSettings(s).build()}.
     * Not thread-safe; build once.
     */
    public static final class Builder {
        private final String path;
        private final ObjectStore store;
        private Settings settings = Settings.DEFAULT;
        private MetricRegistry metrics;
        private Clock clock = Clock.systemUTC();
        private SharedResources shared;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private MergeOperator mergeOperator;

        Builder(String path, ObjectStore store) {
            this.path = DbLayout.of(path).root(); // refuses what is not a database path
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The settings to run with; default {@link Settings#DEFAULT}. */
        public Builder withSettings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Where the database publishes its metrics; default a new {@link SimpleMetricRegistry} of its own,
         * read through {@link Db#metrics()}.
         */
        public Builder withMetrics(MetricRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The wall clock that stamps writes with their creation time (and so decides when values with a
         * time to live expire); default the system clock in UTC. Tests use a controlled clock.
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs the database, its embedded compactor and garbage collector on {@code resources}' threads and
         * caches rather than its own (the settings' cache budgets are then not used); its store's retries wait
         * on their retry timer. Closing the database leaves them running.
         */
        public Builder withResources(SharedResources resources) {
            this.shared = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * How transient object-store failures are retried; default {@link RetryPolicy#DEFAULT}. The setting
         * {@code object_store_max_retries}, when set, limits its attempts (see {@link Settings#retryPolicy}).
         * A store that already retries (a {@link RetryingObjectStore}) is not retried again.
         */
        public Builder withRetryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * The operator that folds merge operands ({@link Db#merge}) on reads, writes and in the embedded
         * compactor; default none, and then merges fail with kind {@link ErrorKind#INVALID}, as do reads of
         * keys that hold merge operands.
         */
        public Builder withMergeOperator(MergeOperator mergeOperator) {
            this.mergeOperator = Objects.requireNonNull(mergeOperator, "mergeOperator");
            return this;
        }

        /**
         * Opens the database as its writer, creating it when the path holds none, and fencing any writer
         * that had it open.
         *
         * @throws SlateDbException of kind {@link ErrorKind#INVALID} for a database this engine cannot open
         *                          (an unfinished clone), {@link ErrorKind#DATA} for corrupt or missing
         *                          objects, {@link ErrorKind#UNAVAILABLE} when the store fails
         */
        public Db build() {
            MetricRegistry registry = metrics != null ? metrics : new SimpleMetricRegistry();
            HandleLease lease = HandleLease.take(shared);
            try {
                return new Db(DbCore.open(path, store, settings, registry, clock, retryPolicy, mergeOperator,
                        lease.threads(), lease.caches()), registry, lease);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        }
    }
}
