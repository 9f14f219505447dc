package io.slatedb;

import io.slatedb.compaction.CompactorCore;
import io.slatedb.db.DbCore;
import io.slatedb.format.DbLayout;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.util.StoreStack;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * SlateDB's compactor for one database, run on its own (a writer embeds one when
 * {@link Settings#compactorOptions()} is set): merges L0 SSTs into sorted runs and similar-sized
 * sorted runs into one, by the size-tiered policy and limits of {@link CompactorOptions}. Building
 * it claims the database's compactor epoch, which fences any compactor started before it; a
 * compactor that a newer one fenced stops, and its calls fail with kind CLOSED (reason FENCED).
 *
 * <p>It never blocks the writer: it commits its results with compare-and-swap updates of the
 * manifest that keep the writer's concurrent L0 flushes, and records its work in
 * {@code compactions/<id>.compactions} as SlateDB does (the garbage collector relies on it). Memory
 * use is bounded by {@code max_concurrent_compactions} output SSTs of {@code max_sst_size} plus read
 * buffers. Stopping it at any point, even by killing the process, loses nothing: a compaction that
 * was not committed leaves only unreferenced SSTs, which garbage collection removes.
 *
 * <pre>{@code
 * try (Compactor compactor = Compactor.builder("db", store).withOptions(CompactorOptions.DEFAULT).build()) {
 *     compactor.runUntilIdle();
 * }
 * }</pre>
 */
public final class Compactor implements AutoCloseable {
    private final CompactorCore core;
    private final MetricRegistry metrics;
    private final HandleLease lease;
    private final StoreStack stores;

    private Compactor(CompactorCore core, MetricRegistry metrics, HandleLease lease, StoreStack stores) {
        this.core = core;
        this.metrics = metrics;
        this.lease = lease;
        this.stores = stores;
    }

    /**
     * A builder for the compactor of the database at {@code path} (a database path, see {@link Db#open}) in {@code store}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static Builder builder(String path, ObjectStore store) {
        return new Builder(path, store);
    }

    /** Builds a {@link Compactor}. Not thread-safe. */
    public static final class Builder {
        private final String path;
        private final ObjectStore store;
        private CompactorOptions options = CompactorOptions.DEFAULT;
        private Settings settings = Settings.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private SharedResources shared;
        private MetricRegistry metrics;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private MergeOperator mergeOperator;

        private Builder(String path, ObjectStore store) {
            this.path = DbLayout.of(path).root(); // refuses what is not a database path
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The scheduler's and workers' options; default {@link CompactorOptions#DEFAULT}. */
        public Builder withOptions(CompactorOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The database settings output SSTs are written with (block size, compression, filters);
         * default {@link Settings#DEFAULT}. Use the writer's settings.
         */
        public Builder withSettings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The clock output SSTs and compactions are named by; default the system clock. */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the compactor publishes its metrics (names in {@link SlateDbMetricNames.Compactor});
         * default a new {@link SimpleMetricRegistry} of its own, read through {@link Compactor#metrics()}.
         */
        public Builder withMetrics(MetricRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * How transient object-store failures are retried; default {@link RetryPolicy#DEFAULT}, limited
         * by the settings' {@code object_store_max_retries} (see {@link Settings#retryPolicy}). A store
         * that already retries (a {@link RetryingObjectStore}) is not retried again.
         */
        public Builder withRetryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Runs the compactor on {@code resources}' compaction threads, and opens SSTs through their
         * metadata cache, rather than threads and a cache of its own; its retries wait on their retry
         * timer. Closing the compactor leaves them running.
         */
        public Builder withResources(SharedResources resources) {
            this.shared = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * The operator that folds merge operands into values when a compaction's output holds the value
         * below them; default none, and then merge operands are kept as they are. Use the writer's
         * operator.
         */
        public Builder withMergeOperator(MergeOperator mergeOperator) {
            this.mergeOperator = Objects.requireNonNull(mergeOperator, "mergeOperator");
            return this;
        }

        /**
         * Claims the compactor epoch and returns the compactor, not yet running. The store stays the
         * caller's to close.
         *
         * @throws SlateDbException of kind DATA when there is no database at the path, CLOSED when a
         *                          newer compactor claimed it meanwhile, UNAVAILABLE when the store fails
         */
        public Compactor build() {
            MetricRegistry registry = metrics != null ? metrics : new SimpleMetricRegistry();
            HandleLease lease = HandleLease.take(shared);
            StoreStack stores = lease.storeStack("slatedb-compactor-" + path, settings.retryPolicy(retryPolicy), null);
            try {
                return new Compactor(CompactorCore.open(path, stores.wrap(store), options, DbCore.sstOptions(settings),
                        clock, mergeOperator, manifest -> { }, lease.threads(), lease.caches(), registry),
                        registry, lease, stores);
            } catch (RuntimeException e) {
                stores.close();
                lease.close();
                throw e;
            }
        }
    }

    /**
     * Compacts until there is nothing more to do by the options' policy, then returns.
     *
     * @throws SlateDbException when a compaction failed, or of kind CLOSED when the compactor was
     *                          closed or fenced
     */
    public void runUntilIdle() {
        Futures.join(runUntilIdleAsync());
    }

    /**
     * {@link #runUntilIdle} without blocking: completes when there is nothing more to do, or fails with
     * the errors that method throws. The rounds run on the compactor's own threads.
     */
    public CompletableFuture<Void> runUntilIdleAsync() {
        return core.runUntilIdle();
    }

    /**
     * Looks for work every {@code poll_interval} on background threads until {@link #close}.
     * Idempotent.
     */
    public void start() {
        core.start();
    }

    /** The compactor epoch this compactor holds. */
    public long epoch() {
        return core.epoch();
    }

    /** Compactions committed so far. */
    public long completedCompactions() {
        return core.completedCompactions();
    }

    /** Bytes of SSTs written by compactions so far. */
    public long bytesWritten() {
        return core.bytesWritten();
    }

    /** The metrics registry this compactor publishes to (names in {@link SlateDbMetricNames.Compactor}). */
    public MetricRegistry metrics() {
        return metrics;
    }

    /**
     * {@link #close()} without blocking: completes when the compactor has stopped. The stop, which waits
     * for the compactor's threads, runs on a thread of its own; {@link #close()} stays the blocking form
     * so that closing never throws.
     */
    public CompletableFuture<Void> closeAsync() {
        return Futures.offload("slatedb-compactor-close", () -> {
            close();
            return null;
        });
    }

    /**
     * Stops, and stops the retry timer; compactions in flight are abandoned (nothing is lost). The store
     * stays open. Idempotent.
     */
    @Override
    public void close() {
        try {
            core.close();
        } finally {
            try {
                stores.close();
            } finally {
                lease.close();
            }
        }
    }
}
