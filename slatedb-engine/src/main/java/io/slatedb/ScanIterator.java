package io.slatedb;

import io.slatedb.reader.LsmScan;
import io.slatedb.sst.RowEntry;
import io.slatedb.util.Futures;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * The iteration every public scan shares: blocking {@link #hasNext()}/{@link #next()} and non-blocking
 * {@link #nextAsync()} over an {@link LsmScan}, each row turned into what the scan hands out.
 *
 * @param <T> what the scan returns per row
 */
abstract class ScanIterator<T> implements Iterator<T>, AutoCloseable {
    private final LsmScan scan;
    private T next;
    private boolean done;

    ScanIterator(LsmScan scan) {
        this.scan = scan;
    }

    /** What the scan returns for {@code row}. */
    abstract T convert(RowEntry row);

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
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the scan has no more keys");
        }
        T result = next;
        next = null;
        return result;
    }

    /**
     * The next element, or null at the end, without blocking. Do not mix with {@link #hasNext()} and
     * {@link #next()}, and do not call again before the previous future completed.
     */
    public CompletableFuture<T> nextAsync() {
        if (done) {
            return CompletableFuture.completedFuture(null);
        }
        return scan.next().thenApply(row -> {
            if (row == null) {
                done = true;
                return null;
            }
            return convert(row);
        });
    }

    /** Ends the scan. Idempotent. */
    @Override
    public void close() {
        done = true;
        next = null;
        scan.close();
    }
}
