package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.gc.Collector;
import io.slatedb.gc.GcContext;
import io.slatedb.gc.GcRunner;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.util.StoreStack;
import io.slatedb.util.DaemonThreads;
import io.slatedb.util.SharedThreads;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * SlateDB's garbage collector for one database: deletes the objects nothing can read any more. Each
 * kind of object is a {@link GarbageCollectorTask} with its own options in {@link GarbageCollectorOptions} (a
 * {@code null} option disables the task):
 * <ul>
 *   <li>{@link GarbageCollectorTask#MANIFEST}: manifests other than the latest and those live checkpoints pin, older
 *       than {@code min_age}; deleted only after {@code gc/manifest.boundary} is advanced past them;</li>
 *   <li>{@link GarbageCollectorTask#WAL}: WAL SSTs no active manifest needs for replay (the latest manifest needs ids
 *       from its {@code replay_after_wal_id} on, a checkpointed manifest those between its replay point
 *       and its next WAL id), older than {@code min_age}, never the newest WAL object;</li>
 *   <li>{@link GarbageCollectorTask#WAL_FENCE}: the empty fence objects among those, by the same rules (a dry run by
 *       default, since deleting fences weakens the fencing of stale writers);</li>
 *   <li>{@link GarbageCollectorTask#COMPACTED}: compacted SSTs no active manifest references, named (by ULID time)
 *       before the oldest compaction in the {@code .compactions} file, before the newest L0 and more
 *       than {@code min_age} ago. With no {@code .compactions} file none is deleted;</li>
 *   <li>{@link GarbageCollectorTask#COMPACTIONS}: {@code .compactions} files other than the latest, older than
 *       {@code min_age}; deleted only after {@code gc/compactions.boundary} is advanced;</li>
 *   <li>{@link GarbageCollectorTask#DETACH}: in a clone, the pin checkpoint in (and then the {@code external_dbs} entry
 *       of) each database whose SSTs neither the latest nor a checkpointed manifest reads any more.</li>
 * </ul>
 * The active manifests are the latest and those of its checkpoints that have not expired (a clone's
 * pin on its source is such a checkpoint). Before each task, expired checkpoints are removed from the
 * manifest. Object ages come from the {@link Builder#withClock clock}: the store's last-modified time,
 * or for compacted SSTs the time in their ULID.
 *
 * <p>{@link #runOnce} runs every enabled task now ({@link #runOnceAsync} without blocking the caller);
 * {@link #start} runs each task every {@code interval} (the first time one interval after the start)
 * until {@link #close}. A writer
 * ({@link Db}) embeds one when {@link Settings#garbageCollectorOptions()} is set. Thread-safe: runs are serialised.
 *
 * <p>An administrative one-off collection ({@code Admin.runGarbageCollection(dryRun)}) is
 * {@code GarbageCollector.builder(path, store).withOptions(options).build().runOnce(dryRun)}, with
 * {@link Builder#withWalStore} when the database keeps its WAL in another store. Transient store
 * failures are retried with the builder's {@link RetryPolicy}; close the collector when done, which
 * stops its threads (its retry timer among them) and leaves the stores open.
 */
public final class GarbageCollector implements AutoCloseable {

    private final String path;
    private final GarbageCollectorOptions options;
    private final GcRunner runner;
    private final StoreStack stores;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;
    private boolean closed;
    /** Whether the running schedule counts as a handle of {@link #shared}. */
    private boolean holdsShared;

    /** The shared resources the collector was built with, or null. */
    private final SharedResources shared;

    private final MetricRegistry registry;

    private GarbageCollector(String path, GarbageCollectorOptions options, Collector collector, StoreStack stores,
                             SharedResources shared, MetricRegistry registry) {
        this.registry = registry;
        this.path = path;
        this.options = options;
        this.runner = new GcRunner(path, options, collector, registry);
        this.stores = stores;
        this.shared = shared;
    }

    /**
     * A builder for the collector of the database at {@code path} (a database path, see {@link Db#open}) in {@code store}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static Builder builder(String path, ObjectStore store) {
        return new Builder(path, store);
    }

    /** Builds a {@link GarbageCollector}. */
    public static final class Builder {
        private final String path;
        private final ObjectStore store;
        private ObjectStore walStore;
        private GarbageCollectorOptions options = GarbageCollectorOptions.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private SharedResources shared;
        private MetricRegistry metrics;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

        private Builder(String path, ObjectStore store) {
            this.path = DbLayout.of(path).root(); // refuses what is not a database path
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The tasks and their settings; default {@link GarbageCollectorOptions#DEFAULT}. */
        public Builder withOptions(GarbageCollectorOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The clock objects are aged by; default the system clock. */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The store holding the database's {@code wal/}, when it is not the main store. */
        public Builder withWalStore(ObjectStore walStore) {
            this.walStore = Objects.requireNonNull(walStore, "walStore");
            return this;
        }

        /**
         * Where the collector publishes its metrics (names in {@link SlateDbMetricNames.GarbageCollector});
         * default a new {@link SimpleMetricRegistry} of its own, read through {@link GarbageCollector#metrics()}.
         */
        public Builder withMetrics(MetricRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Runs the scheduled collections ({@link #start}) on {@code resources}' compaction threads
         * rather than a thread of the collector's own, and waits out retries on their retry timer.
         * Closing the collector leaves them running.
         */
        public Builder withResources(SharedResources resources) {
            this.shared = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * How transient object-store failures are retried (in both stores); default
         * {@link RetryPolicy#DEFAULT}. A store that already retries (a {@link RetryingObjectStore}, such as
         * the store a writer hands its embedded collector) is not retried again.
         */
        public Builder withRetryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** The collector, not yet started. The stores stay the caller's to close. */
        public GarbageCollector build() {
            StoreStack stores = SharedThreads.storeStack(shared == null ? null : shared.threads(),
                    "slatedb-gc-" + path, retryPolicy, null);
            return new GarbageCollector(path, options, new Collector(GcContext.of(stores.wrap(store),
                    stores.wrapOptional(walStore), path, clock, options)), stores, shared,
                    metrics != null ? metrics : new SimpleMetricRegistry());
        }
    }

    /** The metrics registry this collector publishes to (names in {@link SlateDbMetricNames.GarbageCollector}). */
    public MetricRegistry metrics() {
        return registry;
    }

    /** The options the collector runs with. */
    public GarbageCollectorOptions options() {
        return options;
    }

    /**
     * Runs every enabled task once, now.
     *
     * @param dryRun true to delete nothing and leave the manifest alone, only reporting what a real
     *               run would delete; false to delete (except in tasks whose options are a dry run)
     * @throws SlateDbException of kind DATA when the database has no manifest or a live checkpoint's
     *                          manifest is missing; UNAVAILABLE when the store fails
     */
    public GarbageCollectorResult runOnce(boolean dryRun) {
        return Futures.join(runOnceAsync(dryRun));
    }

    /**
     * {@link #runOnce} without blocking: the run goes on a thread of its own (runs stay serialised with
     * the scheduled ones) and the future fails with the errors {@link #runOnce} throws.
     */
    public CompletableFuture<GarbageCollectorResult> runOnceAsync(boolean dryRun) {
        return Futures.offload("slatedb-" + path + "-gc-run", () -> runner.runOnce(dryRun));
    }

    /**
     * Runs one task once, now (after removing expired checkpoints unless {@code dryRun}).
     *
     * @throws IllegalStateException when the task is disabled in the options
     * @throws SlateDbException      as {@link #runOnce}
     */
    public GarbageCollectorTaskResult runTask(GarbageCollectorTask task, boolean dryRun) {
        return Futures.join(runTaskAsync(task, dryRun));
    }

    /**
     * {@link #runTask} without blocking: the future fails with the {@link SlateDbException}s that method
     * throws.
     *
     * @throws IllegalStateException at once when the task is disabled in the options
     */
    public CompletableFuture<GarbageCollectorTaskResult> runTaskAsync(GarbageCollectorTask task, boolean dryRun) {
        Objects.requireNonNull(task, "task");
        if (Collector.optionsOf(task, options) == null) {
            throw new IllegalStateException("the " + task + " task is disabled");
        }
        return Futures.offload("slatedb-" + path + "-gc-run", () -> runner.runTask(task, dryRun));
    }

    /**
     * Starts running each enabled task every {@code interval} on a background thread, the first time
     * one interval from now, until {@link #close}. A failed run is logged and retried at the next
     * interval. Idempotent.
     *
     * @throws SlateDbException of kind CLOSED after {@link #close}
     */
    public void start() {
        start(shared == null ? null : shared.threads());
    }

    /**
     * {@link #start()} on {@code threads} (a lease of their compaction pool) rather than a thread of
     * the collector's own; {@code null} for its own. For a writer's embedded collector, which runs on
     * the writer's threads.
     */
    void start(SharedThreads threads) {
        synchronized (lifecycle) {
            if (closed) {
                throw SlateDbException.closed(CloseReason.CLEAN, "the garbage collector of " + path + " is closed");
            }
            if (scheduler != null) {
                return;
            }
            if (shared != null && threads == shared.threads()) {
                shared.acquire();
                holdsShared = true;
            }
            ScheduledExecutorService executor = threads != null ? threads.compaction("slatedb-" + path + "-gc", 1)
                    : ownThread();
            runner.schedule(executor);
            scheduler = executor;
        }
    }

    private ScheduledExecutorService ownThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("slatedb-" + path + "-gc"));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /**
     * Stops the background runs (a run in progress is given a few seconds to finish, then interrupted)
     * and the retry timer; the stores stay open. Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService executor;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            executor = scheduler;
        }
        try {
            stopRuns(executor);
        } finally {
            stores.close();
        }
    }

    /**
     * {@link #close()} without blocking: completes when the collector has stopped. The stop runs on a
     * thread of its own, as the wait for a run in progress must not hold the caller's; {@link #close()}
     * stays the blocking form so that closing never throws.
     */
    public CompletableFuture<Void> closeAsync() {
        return Futures.offload("slatedb-" + path + "-gc-close", () -> {
            close();
            return null;
        });
    }

    private void stopRuns(ScheduledExecutorService executor) {
        try {
            GcRunner.stop(executor);
        } finally {
            if (holdsShared) {
                shared.release();
            }
        }
    }
}
