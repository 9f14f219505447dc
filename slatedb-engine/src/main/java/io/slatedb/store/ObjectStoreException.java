package io.slatedb.store;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;

/**
 * A failed object-store operation. The subtype says what happened; {@link #retryable()} says whether the
 * same call may succeed if tried again.
 */
public abstract class ObjectStoreException extends SlateDbException {
    private static final long serialVersionUID = 1L;

    private final String path;

    protected ObjectStoreException(ErrorKind kind, String path, String message, Throwable cause) {
        super(kind, message, cause);
        this.path = path;
    }

    /** The object the operation was about (relative to the store), or null for store-wide operations. */
    public String path() {
        return path;
    }

    /** Whether retrying the same call may succeed. */
    public abstract boolean retryable();
}
