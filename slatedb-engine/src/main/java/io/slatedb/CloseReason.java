package io.slatedb;

/** Why a handle was closed; carried by {@link SlateDbException}s of kind {@link ErrorKind#CLOSED}. */
public enum CloseReason {
    /** The handle was closed by its owner. */
    CLEAN,
    /** A newer writer (or compactor) claimed the database; this handle must not write any more. */
    FENCED,
    /** A background task failed fatally. */
    PANIC
}
