package io.slatedb.store;

import io.slatedb.ErrorKind;

/**
 * A conditional put lost: the object's current state did not meet the condition (an if-match on a
 * stale ETag, or, as {@link ObjectAlreadyExistsException}, a create on an existing path).
 */
public class PreconditionFailedException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String path) {
        this(path, "precondition failed for " + path, null);
    }

    public PreconditionFailedException(String path, Throwable cause) {
        this(path, "precondition failed for " + path, cause);
    }

    protected PreconditionFailedException(String path, String message, Throwable cause) {
        super(ErrorKind.UNAVAILABLE, path, message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
