package io.slatedb.testing;

import io.slatedb.store.DelayScheduler;
import io.slatedb.util.SchedulerClosedException;

import io.slatedb.store.DelayScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link DelayScheduler} on a virtual clock that only moves when a test says so, so code that waits
 * (backoff, injected latency, timeouts) can be tested without real waiting. Delays fire, in due-time
 * order, on the thread that advances the clock. Thread-safe.
 */
public final class ManualDelayScheduler implements DelayScheduler {

    private record Timer(long dueNanos, long sequence, CompletableFuture<Void> future) {
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::sequence));
    private final List<Duration> requested = new ArrayList<>();
    private long nowNanos;
    private long sequence;
    private boolean closed;

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                future.completeExceptionally(new SchedulerClosedException("manual scheduler closed"));
                return future;
            }
            requested.add(delay);
            timers.add(new Timer(nowNanos + Math.max(0, delay.toNanos()), sequence++, future));
        }
        return future;
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    /** The delays asked for so far, in order. */
    public synchronized List<Duration> requestedDelays() {
        return List.copyOf(requested);
    }

    /** How many delays are waiting to fire. */
    public synchronized int pending() {
        return timers.size();
    }

    /** Moves the clock forward by {@code duration}, firing every delay that falls due on the way. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        while (true) {
            Timer due;
            synchronized (this) {
                Timer next = timers.peek();
                if (next == null || next.dueNanos() > target) {
                    nowNanos = target;
                    return;
                }
                due = timers.poll();
                nowNanos = Math.max(nowNanos, due.dueNanos());
            }
            // Completed outside the lock: the continuation may ask for the next delay.
            due.future().complete(null);
        }
    }

    /**
     * Moves the clock to the earliest pending delay and fires it (and any others due at that instant).
     *
     * @return whether there was a pending delay
     */
    public boolean advanceToNext() {
        long wait;
        synchronized (this) {
            Timer next = timers.peek();
            if (next == null) {
                return false;
            }
            wait = next.dueNanos() - nowNanos;
        }
        advance(Duration.ofNanos(wait));
        return true;
    }

    @Override
    public void close() {
        List<Timer> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(timers);
            timers.clear();
        }
        for (Timer timer : dropped) {
            timer.future().completeExceptionally(new SchedulerClosedException("manual scheduler closed"));
        }
    }
}
