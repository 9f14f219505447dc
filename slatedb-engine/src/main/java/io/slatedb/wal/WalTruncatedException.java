package io.slatedb.wal;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;

/**
 * A WAL file that must exist is gone (garbage-collected, or deleted by hand): the rows it held can no
 * longer be read. Kind {@link ErrorKind#DATA}.
 */
public class WalTruncatedException extends SlateDbException {
    private static final long serialVersionUID = 1L;

    private final long walId;
    private final String path;

    public WalTruncatedException(long walId, String path) {
        super(ErrorKind.DATA, "WAL file " + path + " (id " + Long.toUnsignedString(walId) + ") is missing");
        this.walId = walId;
        this.path = path;
    }

    /** The id of the missing file. */
    public long walId() {
        return walId;
    }

    /** The path of the missing file. */
    public String path() {
        return path;
    }
}
