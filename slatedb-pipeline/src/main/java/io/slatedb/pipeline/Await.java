package io.slatedb.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition on a system outside this JVM's control (a topic's content, a connector's
 * status, a job's checkpoints), which only answers when asked: it is asked every {@link #INTERVAL} until
 * it holds or the time is up.
 */
public final class Await {

    /** How often the condition is checked. */
    static final Duration INTERVAL = Duration.ofMillis(100);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws TimeoutException naming {@code what} when it does not hold within {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new TimeoutException("interrupted while waiting for " + what);
            }
        }
    }

    /** Converts a wait in milliseconds for messages. */
    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
