package io.slatedb.util;

import io.slatedb.store.DelayScheduler;

/**
 * A delay could not run to its end because its {@link DelayScheduler} was closed. Not a
 * {@link java.util.concurrent.CancellationException}: nobody cancelled the waiting future, and
 * {@code CompletableFuture} would report one as cancelled.
 */
public final class SchedulerClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SchedulerClosedException(String message) {
        super(message);
    }
}
