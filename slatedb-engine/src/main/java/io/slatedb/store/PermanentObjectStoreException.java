package io.slatedb.store;

import io.slatedb.ErrorKind;

/** A failure that retrying cannot fix: access denied, an invalid request, path or range. */
public class PermanentObjectStoreException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public PermanentObjectStoreException(String path, String message, Throwable cause) {
        super(ErrorKind.UNAVAILABLE, path, message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
