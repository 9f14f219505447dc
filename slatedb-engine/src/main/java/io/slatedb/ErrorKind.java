package io.slatedb;

/**
 * What kind of failure a {@link SlateDbException} reports, and so what the caller should do about it.
 * Branch on the kind; messages are for people and are not stable.
 */
public enum ErrorKind {
    /** A transaction conflicted with a concurrent commit: retry the whole transaction. */
    TRANSACTION,
    /** The handle is closed (cleanly, fenced by a newer writer, or after a fatal error): open a new one. */
    CLOSED,
    /** A dependency failed (object store, I/O, a timed-out metadata update): the call may succeed on retry. */
    UNAVAILABLE,
    /** The caller passed something invalid (arguments, configuration): fix the code or the settings. */
    INVALID,
    /** Persisted state is not what it must be (corrupt or missing objects, unknown versions). */
    DATA,
    /** A bug in this library. */
    INTERNAL
}
