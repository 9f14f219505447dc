package io.slatedb.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One handle's share of pooled threads, seen as an executor of its own: tasks run on {@code pool},
 * at most {@code parallelism} of them at once, in submission order; timed tasks wait on the shared
 * {@code timer}, whose thread only hands them over to the pool (so a slow task never delays another
 * handle's timers). A lease of parallelism 1 runs one task at a time, like a single-thread executor,
 * which is what code confined to "its" thread relies on.
 *
 * <p>{@link #shutdown()} stops this lease only: it takes no new tasks, cancels its timed tasks (delayed
 * and periodic tasks never run after shutdown), lets the tasks already submitted finish, and leaves the
 * pool and the timer running for the other leases. {@link #shutdownNow()} also drops the queued tasks;
 * it cannot interrupt a task already running, as the thread belongs to the pool.
 */
public final class LeasedExecutor extends AbstractExecutorService implements ScheduledExecutorService {
    private static final Logger LOG = LoggerFactory.getLogger(LeasedExecutor.class);

    private final String name;
    private final Executor pool;
    private final ScheduledExecutorService timer;
    private final int parallelism;
    private final Set<Timed<?>> timed = ConcurrentHashMap.newKeySet();

    // Guarded by `this`.
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private int running;
    private boolean shutdown;

    /**
     * @param name        names the lease in errors and logs
     * @param pool        runs the tasks
     * @param timer       waits out delays; only hands tasks over to the pool
     * @param parallelism the most tasks of this lease running at once (at least 1)
     */
    public LeasedExecutor(String name, Executor pool, ScheduledExecutorService timer, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.parallelism = parallelism;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            queue.add(command);
            if (running >= parallelism) {
                return; // a running slot picks it up when its task ends
            }
            running++;
        }
        dispatch();
    }

    /** Hands one slot's next turn to the pool; the slot is taken already. */
    private void dispatch() {
        try {
            pool.execute(this::runOne);
        } catch (RejectedExecutionException e) {
            // The pool itself is shut down: nothing of this lease can run any more.
            List<Runnable> dropped;
            synchronized (this) {
                running--;
                dropped = new ArrayList<>(queue);
                queue.clear();
                notifyAll();
            }
            LOG.warn("{}: the shared pool is shut down; {} queued tasks dropped", name, dropped.size());
        }
    }

    /**
     * Runs the next queued task, then gives the slot back to the pool's queue rather than looping, so
     * that a lease with much work takes turns with the other leases instead of holding a thread.
     */
    private void runOne() {
        Runnable next;
        synchronized (this) {
            next = queue.poll();
            if (next == null) {
                running--;
                notifyAll();
                return;
            }
        }
        try {
            next.run();
        } catch (Throwable t) {
            LOG.warn("{}: a task failed", name, t);
        }
        synchronized (this) {
            if (queue.isEmpty()) {
                running--;
                notifyAll();
                return;
            }
        }
        dispatch();
    }

    @Override
    public void shutdown() {
        synchronized (this) {
            shutdown = true;
            notifyAll();
        }
        for (Timed<?> task : timed) {
            task.cancel(false);
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        synchronized (this) {
            List<Runnable> dropped = new ArrayList<>(queue);
            queue.clear();
            notifyAll();
            return dropped;
        }
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && running == 0 && queue.isEmpty();
    }

    @Override
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return start(new Timed<>(Executors.callable(command), 0, false), unit.toNanos(delay));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return start(new Timed<>(callable, 0, false), unit.toNanos(delay));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return start(new Timed<>(Executors.callable(command), positive(unit.toNanos(period)), true),
                unit.toNanos(initialDelay));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return start(new Timed<>(Executors.callable(command), positive(unit.toNanos(delay)), false),
                unit.toNanos(initialDelay));
    }

    private static long positive(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("the period must be positive");
        }
        return nanos;
    }

    private <V> Timed<V> start(Timed<V> task, long delayNanos) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
        }
        timed.add(task);
        task.arm(delayNanos);
        return task;
    }

    @Override
    public String toString() {
        return "LeasedExecutor[" + name + ", parallelism " + parallelism + "]";
    }

    /** A delayed or periodic task: the timer fires it into this lease's queue. */
    private final class Timed<V> extends FutureTask<V> implements ScheduledFuture<V> {
        /** 0 for a one-shot task. */
        private final long period;
        private final boolean fixedRate;
        private volatile long triggerNanos;
        private volatile ScheduledFuture<?> armed;

        Timed(Callable<V> callable, long period, boolean fixedRate) {
            super(callable);
            this.period = period;
            this.fixedRate = fixedRate;
        }

        void arm(long delayNanos) {
            triggerNanos = System.nanoTime() + Math.max(0, delayNanos);
            try {
                armed = timer.schedule(this::fire, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                cancel(false);
                throw e;
            }
            if (isCancelled()) {
                armed.cancel(false); // cancelled while arming
            }
        }

        /** On the timer thread: only queue the task, never run it here. */
        private void fire() {
            try {
                execute(this);
            } catch (RejectedExecutionException e) {
                cancel(false);
            }
        }

        @Override
        public void run() {
            if (period == 0) {
                super.run();
                timed.remove(this);
                return;
            }
            if (runAndReset() && !isCancelled()) {
                long next = fixedRate ? triggerNanos + period - System.nanoTime() : period;
                try {
                    arm(next);
                } catch (RejectedExecutionException e) {
                    timed.remove(this);
                }
            } else {
                timed.remove(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(false);
            ScheduledFuture<?> handle = armed;
            if (handle != null) {
                handle.cancel(false);
            }
            timed.remove(this);
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(triggerNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
