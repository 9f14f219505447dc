package io.slatedb.gc;

import io.slatedb.GarbageCollectorOptions;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.DaemonThreads;
import io.slatedb.util.SharedThreads;
import io.slatedb.util.StoreStack;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The garbage collector a writer runs in its own process: started when the writer opens, with the
 * writer's store, clock and {@code garbage_collector_options}, and stopped when it closes. Does nothing
 * when the options are {@code null} or disable every task.
 */
public final class EmbeddedGc implements AutoCloseable {
    private static final EmbeddedGc NONE = new EmbeddedGc(null, null, null);

    private final GcRunner runner;
    private final ScheduledExecutorService executor;
    private final StoreStack stores;

    private EmbeddedGc(GcRunner runner, ScheduledExecutorService executor, StoreStack stores) {
        this.runner = runner;
        this.executor = executor;
        this.stores = stores;
    }

    /** Starts the collector of the database at {@code path}, or nothing when {@code options} is null. */
    public static EmbeddedGc start(String path, ObjectStore store, GarbageCollectorOptions options, Clock clock) {
        return start(path, store, options, clock, null, MetricRegistry.NOOP);
    }

    /**
     * {@link #start(String, ObjectStore, GarbageCollectorOptions, Clock)} on the writer's shared threads,
     * if any, publishing the collector's metrics to the writer's {@code registry}.
     */
    public static EmbeddedGc start(String path, ObjectStore store, GarbageCollectorOptions options, Clock clock,
                                   SharedThreads threads, MetricRegistry registry) {
        if (!GcRunner.anyEnabled(options)) {
            return NONE;
        }
        // The writer's store already retries, so the stack adds no second retry layer on it.
        StoreStack stores = SharedThreads.storeStack(null, "slatedb-gc-" + path, RetryPolicy.DEFAULT, null);
        GcRunner runner = new GcRunner(path, options,
                new Collector(GcContext.of(stores.wrap(store), null, path, clock, options)), registry);
        ScheduledExecutorService executor = threads != null ? threads.compaction("slatedb-" + path + "-gc", 1)
                : ownThread(path);
        runner.schedule(executor);
        return new EmbeddedGc(runner, executor, stores);
    }

    private static ScheduledExecutorService ownThread(String path) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("slatedb-" + path + "-gc"));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** The running collector, or null when none runs. */
    public GcRunner runner() {
        return runner;
    }

    /** Stops the collector. Idempotent. */
    @Override
    public void close() {
        if (runner == null) {
            return;
        }
        try {
            GcRunner.stop(executor);
        } finally {
            stores.close();
        }
    }
}
