package io.slatedb;

import java.util.OptionalLong;

/**
 * A WAL file that must exist is gone (garbage-collected, or deleted by hand): the rows it held can no
 * longer be read. Kind {@link ErrorKind#DATA}. A {@link WalChangeFeed} that gets it cannot continue
 * without losing changes: the consumer takes a new snapshot (for example with a {@link DbReader} and
 * its {@link DbReader#snapshot() position}) and continues from there. A {@link WalRetention} held at
 * the consumer's position prevents it.
 */
public class WalTruncatedException extends SlateDbException {
    private static final long serialVersionUID = 1L;

    private final long walId;
    private final String path;
    private final long oldestAvailable;

    /**
     * A missing file whose oldest stored successor is not known.
     *
     * @param walId the id of the missing file (unsigned)
     * @param path  its object path
     */
    public WalTruncatedException(long walId, String path) {
        this(walId, path, OptionalLong.empty());
    }

    /**
     * A missing file, and the oldest WAL id still stored when that was looked up.
     *
     * @param walId           the id of the missing file (unsigned)
     * @param path            its object path
     * @param oldestAvailable the oldest WAL id stored, or empty when no WAL file is stored (or unknown)
     */
    public WalTruncatedException(long walId, String path, OptionalLong oldestAvailable) {
        super(ErrorKind.DATA, "WAL file " + path + " (id " + Long.toUnsignedString(walId) + ") is missing"
                + (oldestAvailable.isPresent() ? "; the oldest stored WAL id is "
                + Long.toUnsignedString(oldestAvailable.getAsLong()) : ""));
        this.walId = walId;
        this.path = path;
        this.oldestAvailable = oldestAvailable.isPresent() ? oldestAvailable.getAsLong() : 0;
    }

    /** The id of the missing file (unsigned). */
    public long walId() {
        return walId;
    }

    /** The path of the missing file. */
    public String path() {
        return path;
    }

    /**
     * The oldest WAL id still stored when the loss was found (unsigned), or empty when none was stored or
     * the reporter did not look (WAL ids start at 1, so a present value is never 0).
     */
    public OptionalLong oldestAvailableWalId() {
        return oldestAvailable == 0 ? OptionalLong.empty() : OptionalLong.of(oldestAvailable);
    }
}
