package io.slatedb;

import io.slatedb.reader.LsmScan;
import io.slatedb.sst.RowEntry;
import io.slatedb.util.Futures;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * The key-value pairs of a scan, in ascending unsigned key order, as of one consistent point: writes
 * made after the scan started are not seen, and neither are later flushes or compactions noticed.
 * Deleted keys are left out; expired values are returned (see {@link KeyValue}).
 *
 * <p>Not thread-safe: one thread iterates. {@link #hasNext()} may read from object storage and then
 * blocks; {@link #nextAsync()} does not. Close the iterator when done (try-with-resources); a
 * failure while reading is thrown as a {@link SlateDbException} and ends the iteration.
 */
public final class DbIterator implements Iterator<KeyValue>, AutoCloseable {
    private final LsmScan scan;
    private KeyValue next;
    private boolean done;

    DbIterator(LsmScan scan) {
        this.scan = scan;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done) {
            return false;
        }
        next = Futures.join(nextAsync());
        return next != null;
    }

    @Override
    public KeyValue next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the scan has no more keys");
        }
        KeyValue result = next;
        next = null;
        return result;
    }

    /**
     * The next pair, or null at the end, without blocking. Do not mix with {@link #hasNext()} and
     * {@link #next()}, and do not call again before the previous future completed.
     */
    public CompletableFuture<KeyValue> nextAsync() {
        if (done) {
            return CompletableFuture.completedFuture(null);
        }
        return scan.next().thenApply(row -> {
            if (row == null) {
                done = true;
                return null;
            }
            return toKeyValue(row);
        });
    }

    /** Ends the scan. Idempotent. */
    @Override
    public void close() {
        done = true;
        next = null;
        scan.close();
    }

    static KeyValue toKeyValue(RowEntry row) {
        return new KeyValue(row.key(), row.value(), row.seq(), ReadMethods.createTsOf(row), row.expireTs());
    }
}
