package io.slatedb.db;

import io.slatedb.Settings;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.StoreStack;
import io.slatedb.util.DaemonThreads;
import io.slatedb.util.SharedThreads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The threads one open writer uses: a scheduler for timed work (WAL flush ticks, manifest polls), a
 * pool for encoding and uploading SSTs, and the store stack with its retry backoff timer. Without
 * {@link SharedThreads} they are the writer's own daemon threads named after the database; with them,
 * leases of the shared threads. Either way {@link #close()} stops them for this writer (and only for it).
 */
final class DbResources implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final ExecutorService io;
    private final StoreStack stores;
    /** The shared threads leased from, or null when the threads are this writer's own. */
    private final SharedThreads shared;

    DbResources(String path, Settings settings, RetryPolicy retryPolicy, MetricRegistry registry, SharedThreads shared) {
        this.shared = shared;
        int ioParallelism = Math.max(2, settings.l0FlushParallelism());
        if (shared == null) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("slatedb-" + path + "-timer"));
            this.io = Executors.newFixedThreadPool(ioParallelism, DaemonThreads.numbered("slatedb-" + path + "-io"));
        } else {
            // The scheduler's tasks were confined to one thread: a lease of parallelism 1 keeps that.
            this.scheduler = shared.io("slatedb-" + path + "-timer", 1);
            this.io = shared.io("slatedb-" + path + "-io", ioParallelism);
        }
        this.stores = SharedThreads.storeStack(shared, "slatedb-" + path, settings.retryPolicy(retryPolicy), registry);
    }

    /** The shared threads this writer leases from, or null when it has its own. */
    SharedThreads shared() {
        return shared;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService io() {
        return io;
    }

    /**
     * The caller's store as the writer uses it (see {@link StoreStack#wrap}): every request recorded in
     * the registry, and failed requests retried with the builder's policy limited by
     * {@code object_store_max_retries}. The caller keeps ownership of its store; the wrappers are never
     * closed (they hold nothing but the retry timer owned here).
     */
    ObjectStore wrap(ObjectStore userStore) {
        return stores.wrap(userStore);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        io.shutdown();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
        stores.close();
    }

}
