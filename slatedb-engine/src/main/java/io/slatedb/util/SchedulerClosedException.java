package io.slatedb.util;

import java.util.concurrent.CancellationException;

/** A delay could not run to its end because its {@link DelayScheduler} was closed. */
public final class SchedulerClosedException extends CancellationException {
    private static final long serialVersionUID = 1L;

    public SchedulerClosedException(String message) {
        super(message);
    }
}
