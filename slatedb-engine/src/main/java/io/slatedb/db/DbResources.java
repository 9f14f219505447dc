package io.slatedb.db;

import io.slatedb.Settings;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.store.InstrumentedObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.DelayScheduler;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one open writer owns: a scheduler for timed work (WAL flush ticks, manifest polls), a
 * pool for encoding and uploading SSTs, and the retry backoff timer. All are daemon threads named
 * after the database, and all stop on {@link #close()}.
 */
final class DbResources implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final ExecutorService io;
    private final DelayScheduler retryTimer;
    private final Settings settings;

    DbResources(String path, Settings settings) {
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("slatedb-" + path + "-timer"));
        this.io = Executors.newFixedThreadPool(Math.max(2, settings.l0FlushParallelism()), threads("slatedb-" + path + "-io"));
        this.retryTimer = DelayScheduler.create("slatedb-" + path + "-retry");
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService io() {
        return io;
    }

    /**
     * The caller's store as the writer uses it: every request recorded in {@code registry}, and failed
     * requests retried as {@code object_store_max_retries} says. The caller keeps ownership of its
     * store; the wrappers are never closed (they hold nothing but the timer owned here).
     */
    ObjectStore wrap(ObjectStore userStore, MetricRegistry registry) {
        RetryPolicy policy = settings.objectStoreMaxRetries() == null ? RetryPolicy.DEFAULT
                : RetryPolicy.DEFAULT.withMaxAttempts(settings.objectStoreMaxRetries() + 1);
        return new RetryingObjectStore(new InstrumentedObjectStore(userStore, registry), policy, retryTimer, new Random());
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
        retryTimer.close();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
