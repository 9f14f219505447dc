package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.concurrent.CompletableFuture;

/**
 * Walks a memtable's skip list at level 0 from a start node up to an end key, skipping rows above
 * {@code maxSeq}. The walk is weakly consistent: it sees every row linked before it started and
 * perhaps some linked later; rows linked later have higher sequence numbers than any reader's
 * {@code maxSeq} taken before they were added, so filtering by it gives the reader a consistent
 * snapshot.
 */
final class MemtableIterator implements RowIterator {
    private static final CompletableFuture<RowEntry> END = CompletableFuture.completedFuture(null);

    private final RowSkipList index;
    private final RowArena arena;
    private final byte[] end;
    private final boolean endInclusive;
    private final long maxSeq;
    /** The next node to look at; 0 once the walk is over. */
    private int node;

    /**
     * @param start the first node to look at, 0 for none
     * @param end   the end key, null for no end
     */
    MemtableIterator(RowSkipList index, RowArena arena, int start, byte[] end, boolean endInclusive, long maxSeq) {
        this.index = index;
        this.arena = arena;
        this.node = start;
        this.end = end;
        this.endInclusive = endInclusive;
        this.maxSeq = maxSeq;
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        while (node != 0) {
            int current = node;
            long row = index.row(current);
            if (end != null) {
                int byEnd = arena.compareKey(row, end);
                if (byEnd > 0 || (byEnd == 0 && !endInclusive)) {
                    node = 0;
                    break;
                }
            }
            node = index.next(current);
            long seq = index.seq(current);
            if (Long.compareUnsigned(seq, maxSeq) <= 0) {
                return CompletableFuture.completedFuture(arena.read(row, seq));
            }
        }
        return END;
    }
}
