package io.slatedb.reader;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.concurrent.CompletableFuture;

/**
 * The rows a scan sees, in key order: per key the newest visible version, deleted keys left out.
 * Calls to {@link #next()} must not overlap. Closing ends the scan; SST reads still in flight finish
 * and are dropped.
 */
public final class LsmScan implements RowIterator, AutoCloseable {
    private final RowIterator rows;
    private volatile boolean closed;

    LsmScan(RowIterator rows) {
        this.rows = rows;
    }

    /**
     * The next visible row, or null at the end. Fails with {@link ErrorKind#INVALID} after
     * {@link #close()}, and when a key's newest visible version is a merge operand and there is no
     * merge operator (or it fails).
     */
    @Override
    public CompletableFuture<RowEntry> next() {
        if (closed) {
            return CompletableFuture.failedFuture(new SlateDbException(ErrorKind.INVALID, "the scan is closed"));
        }
        return rows.next();
    }

    @Override
    public void close() {
        closed = true;
    }
}
