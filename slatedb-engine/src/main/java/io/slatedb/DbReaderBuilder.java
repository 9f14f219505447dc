package io.slatedb;

import io.slatedb.dbreader.ReaderCore;
import io.slatedb.format.DbLayout;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Opens a {@link DbReader} with non-default options:
 * {@code DbReader.builder(path, store).withCheckpointId(id).withOptions(o).build()}. Not thread-safe;
 * build once.
 */
public final class DbReaderBuilder {
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

    DbReaderBuilder(String path, ObjectStore store) {
        this.path = DbLayout.of(path).root(); // refuses what is not a database path
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Reads exactly the manifest checkpoint {@code id} pins ({@link DbReaderMode#CHECKPOINT}): the reader
     * creates, refreshes and deletes no checkpoint and follows no newer manifest or WAL file.
     */
    public DbReaderBuilder withCheckpointId(UUID id) {
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
    public DbReaderBuilder withReaderMode(DbReaderMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == DbReaderMode.CHECKPOINT) {
            throw new SlateDbException(ErrorKind.INVALID, "choose a checkpoint with withCheckpointId(id)");
        }
        this.mode = mode;
        this.checkpointId = null;
        return this;
    }

    /** The reader's options; default {@link DbReaderOptions#DEFAULT}. */
    public DbReaderBuilder withOptions(DbReaderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * The wall clock that stamps the reader's own checkpoint and decides when to refresh it; default
     * the system clock in UTC. Tests use a controlled clock.
     */
    public DbReaderBuilder withClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Where the reader publishes its metrics (names in {@link SlateDbMetricNames.DbReader}); default a
     * new {@link SimpleMetricRegistry} of its own, read through {@link DbReader#metrics()}.
     */
    public DbReaderBuilder withMetrics(MetricRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /**
     * How transient object-store failures are retried; default {@link RetryPolicy#DEFAULT}. A store
     * that already retries (a {@link RetryingObjectStore}) is not retried again.
     */
    public DbReaderBuilder withRetryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /**
     * Runs the reader on {@code resources}' threads and caches rather than its own (the options' cache
     * budgets are then not used); its store's retries wait on their retry timer. Closing the reader
     * leaves them running.
     */
    public DbReaderBuilder withResources(SharedResources resources) {
        this.shared = Objects.requireNonNull(resources, "resources");
        return this;
    }

    /**
     * The operator that folds merge operands on reads; default none, and then reading a key that holds
     * merge operands fails with kind {@link ErrorKind#INVALID}. Use the writer's operator.
     */
    public DbReaderBuilder withMergeOperator(MergeOperator mergeOperator) {
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
