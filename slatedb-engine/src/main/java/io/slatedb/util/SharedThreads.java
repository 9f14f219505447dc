package io.slatedb.util;

import io.slatedb.store.DelayScheduler;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.StoreStack;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Background threads shared by many handles: a timer that only hands due tasks over, an IO pool for
 * flushes, uploads and polls, a compaction pool for compactions and garbage collection (long runs kept
 * off the IO pool so they cannot hold back other databases' flushes), and a retry backoff timer. Each
 * handle takes {@link LeasedExecutor leases}, which it shuts down when it closes; the threads stop only
 * on {@link #close()}. All threads are daemons named {@code slatedb-shared-*}.
 */
public final class SharedThreads implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService io;
    private final ExecutorService compaction;
    private final DelayScheduler retryTimer;

    public SharedThreads(int timerThreads, int ioThreads, int compactionThreads) {
        this.timer = new ScheduledThreadPoolExecutor(timerThreads, DaemonThreads.numbered("slatedb-shared-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.io = Executors.newFixedThreadPool(ioThreads, DaemonThreads.numbered("slatedb-shared-io"));
        this.compaction = Executors.newFixedThreadPool(compactionThreads, DaemonThreads.numbered("slatedb-shared-compaction"));
        this.retryTimer = DelayScheduler.create("slatedb-shared-retry");
    }

    /** Tasks on the IO pool, at most {@code parallelism} at once; timed tasks wait on the shared timer. */
    public LeasedExecutor io(String name, int parallelism) {
        return new LeasedExecutor(name, io, timer, parallelism);
    }

    /** Tasks on the compaction pool, at most {@code parallelism} at once. */
    public LeasedExecutor compaction(String name, int parallelism) {
        return new LeasedExecutor(name, compaction, timer, parallelism);
    }

    /**
     * A view of the shared retry timer whose {@code close()} fails only the waits asked for through it,
     * as closing a handle's own timer did.
     */
    public DelayScheduler retryTimer() {
        return new LeasedDelays(retryTimer);
    }

    /**
     * The store stack of one handle named {@code name}: with {@code shared}, its retries wait on a view of
     * the shared retry timer (closed with the stack, failing only this handle's waits); without, on a
     * timer of its own ({@link StoreStack#create}).
     */
    public static StoreStack storeStack(SharedThreads shared, String name, RetryPolicy policy, MetricRegistry registry) {
        return shared == null ? StoreStack.create(name, policy, registry)
                : StoreStack.owning(policy, registry, shared.retryTimer());
    }

    /** Stops every thread: queued and timed tasks of every lease are dropped. */
    @Override
    public void close() {
        timer.shutdownNow();
        io.shutdownNow();
        compaction.shutdownNow();
        retryTimer.close();
    }


    /** One handle's waits on a shared {@link DelayScheduler}. */
    private static final class LeasedDelays implements DelayScheduler {
        private final DelayScheduler shared;
        private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        LeasedDelays(DelayScheduler shared) {
            this.shared = shared;
        }

        @Override
        public CompletableFuture<Void> after(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (closed) {
                mine.completeExceptionally(closedError());
                return mine;
            }
            pending.add(mine);
            mine.whenComplete((unused, error) -> pending.remove(mine));
            shared.after(delay).whenComplete((unused, error) -> {
                if (error != null) {
                    mine.completeExceptionally(error);
                } else {
                    mine.complete(null);
                }
            });
            if (closed) {
                mine.completeExceptionally(closedError());
            }
            return mine;
        }

        @Override
        public long nanoTime() {
            return shared.nanoTime();
        }

        @Override
        public void close() {
            closed = true;
            for (CompletableFuture<Void> future : pending) {
                future.completeExceptionally(closedError());
            }
        }

        private static SchedulerClosedException closedError() {
            return new SchedulerClosedException("the delay scheduler is closed");
        }
    }
}
