package io.slatedb.store;

import io.slatedb.ErrorKind;

/**
 * A failure that may go away on retry: a timeout, throttling, a server error or a broken connection.
 * For a write it is unknown whether the write took effect.
 */
public class TransientObjectStoreException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public TransientObjectStoreException(String path, String message, Throwable cause) {
        super(ErrorKind.UNAVAILABLE, path, message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
