package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.gc.Collector;
import io.slatedb.gc.CollectorStarts;
import io.slatedb.gc.GcContext;
import io.slatedb.gc.GcMetrics;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.StoreStack;
import io.slatedb.util.DaemonThreads;
import io.slatedb.util.SharedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * SlateDB's garbage collector for one database: deletes the objects nothing can read any more. Each
 * kind of object is a {@link Task} with its own options in {@link GarbageCollectorOptions} (a
 * {@code null} option disables the task):
 * <ul>
 *   <li>{@link Task#MANIFEST}: manifests other than the latest and those live checkpoints pin, older
 *       than {@code min_age}; deleted only after {@code gc/manifest.boundary} is advanced past them;</li>
 *   <li>{@link Task#WAL}: WAL SSTs no active manifest needs for replay (the latest manifest needs ids
 *       from its {@code replay_after_wal_id} on, a checkpointed manifest those between its replay point
 *       and its next WAL id), older than {@code min_age}, never the newest WAL object;</li>
 *   <li>{@link Task#WAL_FENCE}: the empty fence objects among those, by the same rules (a dry run by
 *       default, since deleting fences weakens the fencing of stale writers);</li>
 *   <li>{@link Task#COMPACTED}: compacted SSTs no active manifest references, named (by ULID time)
 *       before the oldest compaction in the {@code .compactions} file, before the newest L0 and more
 *       than {@code min_age} ago. With no {@code .compactions} file none is deleted;</li>
 *   <li>{@link Task#COMPACTIONS}: {@code .compactions} files other than the latest, older than
 *       {@code min_age}; deleted only after {@code gc/compactions.boundary} is advanced;</li>
 *   <li>{@link Task#DETACH}: in a clone, the pin checkpoint in (and then the {@code external_dbs} entry
 *       of) each database whose SSTs neither the latest nor a checkpointed manifest reads any more.</li>
 * </ul>
 * The active manifests are the latest and those of its checkpoints that have not expired (a clone's
 * pin on its source is such a checkpoint). Before each task, expired checkpoints are removed from the
 * manifest. Object ages come from the {@link Builder#withClock clock}: the store's last-modified time,
 * or for compacted SSTs the time in their ULID.
 *
 * <p>{@link #runOnce} runs every enabled task now; {@link #start} runs each task every
 * {@code interval} (the first time one interval after the start) until {@link #close}. A writer
 * ({@link Db}) embeds one when {@link Settings#garbageCollectorOptions()} is set. Thread-safe: runs are serialised.
 *
 * <p>An administrative one-off collection ({@code Admin.runGarbageCollection(dryRun)}) is
 * {@code GarbageCollector.builder(path, store).withOptions(options).build().runOnce(dryRun)}, with
 * {@link Builder#withWalStore} when the database keeps its WAL in another store. Transient store
 * failures are retried with the builder's {@link RetryPolicy}; close the collector when done, which
 * stops its threads (its retry timer among them) and leaves the stores open.
 */
public final class GarbageCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    static {
        CollectorStarts.register(GarbageCollector::start);
    }

    /** The kinds of object the collector deletes, in the order {@link #runOnce} runs them. */
    public enum Task {
        /** {@code manifest/*.manifest}; {@code manifest_options}. */
        MANIFEST,
        /** Non-empty {@code wal/*.sst}; {@code wal_options}. */
        WAL,
        /** Empty {@code wal/*.sst} fences; {@code wal_fence_options}. */
        WAL_FENCE,
        /** {@code compacted/*.sst}; {@code compacted_options}. */
        COMPACTED,
        /** {@code compactions/*.compactions}; {@code compactions_options}. */
        COMPACTIONS,
        /**
         * A clone's hold on the databases it no longer reads SSTs from: its pin checkpoint there and its
         * {@code external_dbs} entry; {@code detach_options}. Its result lists those databases' root paths.
         */
        DETACH
    }

    /**
     * What one task deleted.
     *
     * @param task   the task
     * @param dryRun whether it only listed what it would delete (the run was a dry run, or the task's
     *               options say so)
     * @param paths  the object paths deleted, or in a dry run those that would be; in ascending id order
     *               for manifests, WAL objects and {@code .compactions} files
     */
    public record TaskResult(Task task, boolean dryRun, List<String> paths) {
        public TaskResult {
            Objects.requireNonNull(task, "task");
            paths = List.copyOf(paths);
        }

        /** How many objects were deleted (or would be). */
        public int count() {
            return paths.size();
        }
    }

    /**
     * What a run of the collector did.
     *
     * @param dryRun             whether the whole run was a dry run
     * @param expiredCheckpoints the expired checkpoints removed from the manifest (in a dry run: found)
     * @param tasks              the result of each task that ran (the enabled ones), in run order
     */
    public record Result(boolean dryRun, List<UUID> expiredCheckpoints, Map<Task, TaskResult> tasks) {
        public Result {
            expiredCheckpoints = List.copyOf(expiredCheckpoints);
            tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
        }

        /** The paths {@code task} deleted (or would); empty when it did not run. */
        public List<String> paths(Task task) {
            TaskResult result = tasks.get(task);
            return result == null ? List.of() : result.paths();
        }

        /** How many objects {@code task} deleted (or would). */
        public int count(Task task) {
            return paths(task).size();
        }

        /** How many objects all tasks deleted (or would). */
        public int totalCount() {
            return tasks.values().stream().mapToInt(TaskResult::count).sum();
        }

        /** Every path all tasks deleted (or would), task by task. */
        public List<String> allPaths() {
            List<String> all = new ArrayList<>();
            tasks.values().forEach(result -> all.addAll(result.paths()));
            return all;
        }
    }

    private final String path;
    private final GarbageCollectorOptions options;
    private final Collector collector;
    private final StoreStack stores;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;
    private boolean closed;
    /** Whether the running schedule counts as a handle of {@link #shared}. */
    private boolean holdsShared;

    /** The shared resources the collector was built with, or null. */
    private final SharedResources shared;

    private final MetricRegistry registry;
    private final GcMetrics metrics;

    private GarbageCollector(String path, GarbageCollectorOptions options, Collector collector, StoreStack stores,
                             SharedResources shared, MetricRegistry registry) {
        this.registry = registry;
        this.metrics = new GcMetrics(registry);
        this.path = path;
        this.options = options;
        this.collector = collector;
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
    public Result runOnce(boolean dryRun) {
        Result result = collector.runAll(dryRun);
        metrics.record(result);
        return result;
    }

    /**
     * Runs one task once, now (after removing expired checkpoints unless {@code dryRun}).
     *
     * @throws IllegalStateException when the task is disabled in the options
     */
    public TaskResult runTask(Task task, boolean dryRun) {
        TaskResult result = collector.run(task, dryRun).result();
        metrics.record(result);
        return result;
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
            for (Task task : Task.values()) {
                GarbageCollectorDirectoryOptions taskOptions = Collector.optionsOf(task, options);
                if (taskOptions == null) {
                    continue;
                }
                long nanos = taskOptions.interval().toNanos();
                executor.scheduleWithFixedDelay(() -> runScheduled(task), nanos, nanos, TimeUnit.NANOSECONDS);
            }
            scheduler = executor;
        }
    }

    private ScheduledExecutorService ownThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("slatedb-" + path + "-gc"));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    private void runScheduled(Task task) {
        try {
            TaskResult result = collector.run(task, false).result();
            metrics.record(result);
            if (result.count() > 0) {
                LOG.info("garbage collection of {}: {} {} {}", path, result.dryRun() ? "would delete" : "deleted",
                        result.count(), task);
            }
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("garbage collection of {} ({}) failed; retried at the next interval: {}", path, task,
                        String.valueOf(e));
            }
        }
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

    private void stopRuns(ScheduledExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            if (holdsShared) {
                shared.release();
            }
        }
    }
}
