package io.slatedb.store;

import io.slatedb.util.ExecutorDelayScheduler;
import io.slatedb.util.SchedulerClosedException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A source of time and of delayed completions. Code that waits (retry backoff, injected latency,
 * timeouts) asks this interface instead of sleeping, so that tests can drive it on a virtual clock and
 * production code never ties up a thread while it waits.
 */
public interface DelayScheduler extends AutoCloseable {

    /**
     * A future that completes (with {@code null}) once {@code delay} has passed. If the scheduler is
     * closed before then, the future fails with {@link SchedulerClosedException}; a scheduler that is
     * already closed returns a future that has already failed that way.
     */
    CompletableFuture<Void> after(Duration delay);

    /** The current time of this scheduler's clock in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Stops the scheduler and fails every pending {@link #after} future. Idempotent. */
    @Override
    void close();

    /** A scheduler on its own daemon thread named {@code threadName}, timed by {@link System#nanoTime()}. */
    static DelayScheduler create(String threadName) {
        return new ExecutorDelayScheduler(threadName);
    }
}
