package io.slatedb.store;

import io.slatedb.ErrorKind;

/** The object does not exist. Kind {@link ErrorKind#DATA}: persisted state is not what was expected. */
public class ObjectNotFoundException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String path) {
        this(path, null);
    }

    public ObjectNotFoundException(String path, Throwable cause) {
        super(ErrorKind.DATA, path, "object not found: " + path, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
