package io.slatedb.store;

import io.slatedb.ErrorKind;

/**
 * The bytes a store returned do not match the checksum recorded when the object was written: the object
 * (or the transfer) is corrupt. Of kind {@link ErrorKind#DATA}, names the object, and is never retried:
 * reading the same damaged bytes again cannot help.
 */
public class ObjectChecksumException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public ObjectChecksumException(String path, String problem, Throwable cause) {
        super(ErrorKind.DATA, path, "corrupt object " + path + ": " + problem, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
