package io.slatedb.util;

import io.slatedb.store.DelayScheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DelayScheduler} backed by a one-thread {@link ScheduledThreadPoolExecutor} that it owns.
 * The thread only completes futures; work chained onto them with the non-async {@code then*} methods
 * runs on it too, so that work must not block.
 */
public final class ExecutorDelayScheduler implements DelayScheduler {

    private final ScheduledThreadPoolExecutor executor;
    // Futures whose delay has not yet run out, so that close() can fail them instead of leaving
    // callers waiting forever on a task the executor dropped.
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ExecutorDelayScheduler(String threadName) {
        Objects.requireNonNull(threadName, "threadName");
        executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(threadName));
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(closedError());
            return future;
        }
        pending.add(future);
        future.whenComplete((unused, error) -> pending.remove(future));
        try {
            executor.schedule(() -> future.complete(null), saturatedNanos(delay), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(closedError());
        }
        // close() may have run between the check above and the add: make sure nothing is left hanging.
        if (closed) {
            future.completeExceptionally(closedError());
        }
        return future;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        for (CompletableFuture<Void> future : pending) {
            future.completeExceptionally(closedError());
        }
    }

    private static long saturatedNanos(Duration delay) {
        if (delay.isNegative()) {
            return 0;
        }
        try {
            return delay.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static SchedulerClosedException closedError() {
        return new SchedulerClosedException("the delay scheduler is closed");
    }
}
