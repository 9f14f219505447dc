package io.slatedb.store;

/** A create-if-absent put found an object already at its path. */
public class ObjectAlreadyExistsException extends PreconditionFailedException {
    private static final long serialVersionUID = 1L;

    public ObjectAlreadyExistsException(String path) {
        this(path, null);
    }

    public ObjectAlreadyExistsException(String path, Throwable cause) {
        super(path, "object already exists: " + path, cause);
    }
}
