package io.slatedb;

import java.util.Objects;

/**
 * The one exception type of the public API. Callers branch on {@link #kind()} (and, for
 * {@link ErrorKind#CLOSED}, on {@link #closeReason()}); subclasses add detail such as the object a
 * data error is about.
 */
public class SlateDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final CloseReason closeReason;

    public SlateDbException(ErrorKind kind, String message) {
        this(kind, null, message, null);
    }

    public SlateDbException(ErrorKind kind, String message, Throwable cause) {
        this(kind, null, message, cause);
    }

    protected SlateDbException(ErrorKind kind, CloseReason closeReason, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        if ((kind == ErrorKind.CLOSED) != (closeReason != null)) {
            throw new IllegalArgumentException("a close reason goes with kind CLOSED and only with it");
        }
        this.closeReason = closeReason;
    }

    /** A {@link ErrorKind#CLOSED} error with its reason. */
    public static SlateDbException closed(CloseReason reason, String message) {
        return new SlateDbException(ErrorKind.CLOSED, Objects.requireNonNull(reason, "reason"), message, null);
    }

    /** A {@link ErrorKind#CLOSED} error with its reason and cause. */
    public static SlateDbException closed(CloseReason reason, String message, Throwable cause) {
        return new SlateDbException(ErrorKind.CLOSED, Objects.requireNonNull(reason, "reason"), message, cause);
    }

    /** The kind of failure; decides what the caller should do. */
    public ErrorKind kind() {
        return kind;
    }

    /** Why the handle was closed, for kind {@link ErrorKind#CLOSED}; otherwise {@code null}. */
    public CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public String toString() {
        String base = getClass().getName() + "[" + kind + (closeReason == null ? "" : "/" + closeReason) + "]";
        String message = getLocalizedMessage();
        return message == null ? base : base + ": " + message;
    }
}
