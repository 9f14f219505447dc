package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * Iterates a slice of a memtable's skip list, skipping rows above {@code maxSeq}. The skip list's
 * iterator is weakly consistent: it sees every row present when it was created and perhaps some
 * added later; rows added later have higher sequence numbers than any reader's {@code maxSeq} taken
 * before they were added, so filtering by it gives the reader a consistent snapshot.
 */
final class MemtableIterator implements RowIterator {
    private static final CompletableFuture<RowEntry> END = CompletableFuture.completedFuture(null);

    private final Iterator<RowEntry> rows;
    private final long maxSeq;

    MemtableIterator(Iterator<RowEntry> rows, long maxSeq) {
        this.rows = rows;
        this.maxSeq = maxSeq;
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        while (rows.hasNext()) {
            RowEntry row = rows.next();
            if (Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                return CompletableFuture.completedFuture(row);
            }
        }
        return END;
    }
}
