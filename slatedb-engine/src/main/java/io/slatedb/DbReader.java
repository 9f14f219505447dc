package io.slatedb;

import io.slatedb.dbreader.ReaderCore;
import io.slatedb.format.DbLayout;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.reader.LsmScan;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A read-only handle on a SlateDB database: the reads of {@link Db} without a writer. It holds no
 * mutable memtable and writes no WAL; it reads a checkpointed manifest, the SSTs that manifest lists,
 * and, unless {@link DbReaderOptions#skipWalReplay()}, the newer WAL files, replayed into in-memory
 * tables. Only data durable in object storage is visible, newest first: replayed tables, then L0
 * SSTs, then sorted runs; {@link ReadOptions#durabilityFilter()} and {@link ReadOptions#dirty()}
 * therefore change nothing. Any number of readers may run beside the writer, in other processes too.
 *
 * <p>In the default mode ({@link DbReaderMode#MANAGED_CHECKPOINT}) the reader creates a checkpoint
 * for itself (so the files it reads are not garbage collected), polls the manifest every
 * {@link DbReaderOptions#manifestPollInterval()} and moves to a newer one, with a new checkpoint,
 * when flushes or compactions changed its SSTs, otherwise reads the new WAL files; it refreshes its
 * checkpoint once half of {@link DbReaderOptions#checkpointLifetime()} has passed and deletes it on
 * close. See {@link DbReaderMode} for the fixed-checkpoint and follow-latest modes.
 *
 * <p>Thread-safe. Close it to stop its poller (and delete its checkpoint); the store stays open.
 */
public final class DbReader extends ReadMethods implements AutoCloseable {
    private final ReaderCore core;

    private final MetricRegistry metrics;
    private final HandleLease lease;

    DbReader(ReaderCore core, MetricRegistry metrics, HandleLease lease) {
        this.core = core;
        this.metrics = metrics;
        this.lease = lease;
    }

    /**
     * Opens a reader of the database at {@code path} (a database path, see {@link Db#open}) in
     * {@code store} with the default options.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static DbReader open(String path, ObjectStore store) {
        return builder(path, store).build();
    }

    /**
     * A builder for a reader of the database at {@code path} (a database path, see {@link Db#open}) with
     * other options, a fixed checkpoint or another mode.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static Builder builder(String path, ObjectStore store) {
        return new Builder(path, store);
    }

    @Override
    CompletableFuture<RowEntry> readRow(byte[] key, ReadOptions options) {
        return core.get(key, options);
    }

    @Override
    LsmScan scanRows(KeyRange range, ScanOptions options) {
        return core.scan(range, options);
    }

    /**
     * The reader's current state, fixed: reads on the snapshot see exactly that state, and its
     * {@link DbReaderSnapshot#position() position} says where it stands, so a consumer can copy it and
     * continue with a {@link WalChangeFeed} {@link WalChangeFeed.Builder#withStartAfter(DbPosition) after} it.
     * The reader itself moves on with its polls; the snapshot does not.
     *
     * @throws SlateDbException of kind {@link ErrorKind#CLOSED} after close
     */
    public DbReaderSnapshot snapshot() {
        core.checkOpen();
        ReaderCore.State state = core.state();
        return new DbReaderSnapshot(core.readsAt(state), positionOf(state), core::checkOpen);
    }

    /**
     * The position of the reader's current state (its manifest, highest visible sequence number, last
     * replayed WAL file). In the polling modes the next poll may move it; to read exactly the state a
     * position describes, use {@link #snapshot()}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#CLOSED} after close
     */
    public DbPosition position() {
        core.checkOpen();
        return positionOf(core.state());
    }

    private static DbPosition positionOf(ReaderCore.State state) {
        return new DbPosition(state.manifestId(), state.maxSeq(), state.walId());
    }

    /** How the reader picks its manifest. */
    public DbReaderMode mode() {
        return core.mode();
    }

    /** The metrics registry this reader publishes to (names in {@link SlateDbMetricNames.DbReader}). */
    public MetricRegistry metrics() {
        return metrics;
    }

    /**
     * Stops following the database and, in {@link DbReaderMode#MANAGED_CHECKPOINT} mode, deletes the
     * reader's checkpoint. Later calls fail with kind {@link ErrorKind#CLOSED}. Closing again does nothing.
     *
     * @throws SlateDbException when deleting the checkpoint fails (it then expires on its own)
     */
    @Override
    public void close() {
        try {
            core.close();
        } finally {
            lease.close();
        }
    }

    /** Runs one poll now and waits for it (what the poller does every poll interval). */
    void pollNow() {
        core.pollNow();
    }

    ReaderCore core() {
        return core;
    }

    /**
     * Opens a {@link DbReader} with non-default options:
     * {@code DbReader.builder(path, store).withCheckpointId(id).withOptions(o).build()}. Not thread-safe;
     * build once.
     */
    public static final class Builder {
        private final String path;
        private final ObjectStore store;
        private DbReaderMode mode = DbReaderMode.MANAGED_CHECKPOINT;
        private UUID checkpointId;
        private DbReaderOptions options = DbReaderOptions.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private SharedResources shared;
        private MetricRegistry metrics;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private MergeOperator mergeOperator;

        Builder(String path, ObjectStore store) {
            this.path = DbLayout.of(path).root(); // refuses what is not a database path
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Reads exactly the manifest checkpoint {@code id} pins ({@link DbReaderMode#CHECKPOINT}): the reader
         * creates, refreshes and deletes no checkpoint and follows no newer manifest or WAL file.
         */
        public Builder withCheckpointId(UUID id) {
            this.checkpointId = Objects.requireNonNull(id, "id");
            this.mode = DbReaderMode.CHECKPOINT;
            return this;
        }

        /**
         * How the reader picks its manifest; default {@link DbReaderMode#MANAGED_CHECKPOINT}.
         * {@link DbReaderMode#CHECKPOINT} is chosen with {@link #withCheckpointId(UUID)}; choosing another
         * mode afterwards drops the checkpoint id.
         *
         * @throws SlateDbException of kind {@link ErrorKind#INVALID} for {@link DbReaderMode#CHECKPOINT}
         *                          (it needs the id)
         */
        public Builder withReaderMode(DbReaderMode mode) {
            Objects.requireNonNull(mode, "mode");
            if (mode == DbReaderMode.CHECKPOINT) {
                throw new SlateDbException(ErrorKind.INVALID, "choose a checkpoint with withCheckpointId(id)");
            }
            this.mode = mode;
            this.checkpointId = null;
            return this;
        }

        /** The reader's options; default {@link DbReaderOptions#DEFAULT}. */
        public Builder withOptions(DbReaderOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The wall clock that stamps the reader's own checkpoint and decides when to refresh it; default
         * the system clock in UTC. Tests use a controlled clock.
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the reader publishes its metrics (names in {@link SlateDbMetricNames.DbReader}); default a
         * new {@link SimpleMetricRegistry} of its own, read through {@link DbReader#metrics()}.
         */
        public Builder withMetrics(MetricRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * How transient object-store failures are retried; default {@link RetryPolicy#DEFAULT}. A store
         * that already retries (a {@link RetryingObjectStore}) is not retried again.
         */
        public Builder withRetryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Runs the reader on {@code resources}' threads and caches rather than its own (the options' cache
         * budgets are then not used); its store's retries wait on their retry timer. Closing the reader
         * leaves them running.
         */
        public Builder withResources(SharedResources resources) {
            this.shared = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * The operator that folds merge operands on reads; default none, and then reading a key that holds
         * merge operands fails with kind {@link ErrorKind#INVALID}. Use the writer's operator.
         */
        public Builder withMergeOperator(MergeOperator mergeOperator) {
            this.mergeOperator = Objects.requireNonNull(mergeOperator, "mergeOperator");
            return this;
        }

        /**
         * Opens the reader: reads the manifest (creating the reader's checkpoint in managed mode), replays
         * the WAL files not yet in L0 unless {@link DbReaderOptions#skipWalReplay()}, and starts following
         * the database unless it reads a fixed checkpoint.
         *
         * @throws SlateDbException of kind {@link ErrorKind#INVALID} for options the mode does not accept
         *                          (a checkpoint lifetime under 1 s or under twice the poll interval),
         *                          {@link ErrorKind#DATA} when there is no initialized database or no such
         *                          checkpoint, {@link ErrorKind#UNAVAILABLE} when the store fails
         */
        public DbReader build() {
            MetricRegistry registry = metrics != null ? metrics : new SimpleMetricRegistry();
            HandleLease lease = HandleLease.take(shared);
            try {
                return new DbReader(ReaderCore.open(path, store, mode, checkpointId, options, clock, retryPolicy,
                        mergeOperator, lease.threads(), lease.caches(), registry), registry, lease);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        }
    }
}
