package io.slatedb.metadata;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;

/**
 * Another process committed the version this write wanted (or the garbage collector has passed it):
 * re-read the latest version and try again.
 */
public class ObjectVersionExistsException extends SlateDbException {
    private static final long serialVersionUID = 1L;

    private final String path;

    public ObjectVersionExistsException(String path, String reason) {
        super(ErrorKind.DATA, "version already exists: " + path + " (" + reason + ")");
        this.path = path;
    }

    /** The object that could not be created. */
    public String path() {
        return path;
    }
}
