package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

/**
 * A memtable's rows and their bookkeeping: the rows packed in a {@link RowArena}, ordered by a
 * {@link RowSkipList}. One thread writes ({@link #put}); any number read. The counters are volatile
 * fields written only by that one thread, so reads of them need no lock and writes need no atomic
 * read-modify-write.
 */
final class RowTable {
    /** Unsigned maximum: the first position of a key in (key ASC, seq DESC) order. */
    private static final long NEWEST = -1L;
    /** Unsigned minimum: the last position of a key. */
    private static final long OLDEST = 0L;

    private final RowArena arena = new RowArena();
    private final RowSkipList index = new RowSkipList(arena);
    private volatile long rowCount;
    private volatile long encodedRowBytes;
    private volatile long keyBytes;
    private volatile long firstSeq;
    private volatile long lastSeq;
    private volatile long maxCreateTs = Long.MIN_VALUE;

    /** Adds {@code row}; a row with the same key and sequence number is replaced. Writer thread only. */
    void put(RowEntry row) {
        long replaced = index.put(RowKey.of(row.key(), row.seq()), arena.append(row));
        long count = rowCount;
        long bytes = encodedRowBytes + SstSizeEstimate.encodedRowSize(row);
        long keys = keyBytes + row.key().length;
        if (replaced >= 0) {
            RowEntry previous = arena.read(replaced, row.seq());
            bytes -= SstSizeEstimate.encodedRowSize(previous);
            keys -= previous.key().length;
        } else {
            count++;
        }
        if (rowCount == 0 || Long.compareUnsigned(row.seq(), firstSeq) < 0) {
            firstSeq = row.seq();
        }
        if (rowCount == 0 || Long.compareUnsigned(row.seq(), lastSeq) > 0) {
            lastSeq = row.seq();
        }
        if (row.createTs().isPresent() && row.createTs().getAsLong() > maxCreateTs) {
            maxCreateTs = row.createTs().getAsLong();
        }
        encodedRowBytes = bytes;
        keyBytes = keys;
        // Last, so a reader that sees the count also sees the sequence bounds of those rows.
        rowCount = count;
    }

    RowEntry get(byte[] key, long maxSeq) {
        int node = index.seek(RowKey.of(key, maxSeq));
        if (node == 0) {
            return null;
        }
        long row = index.row(node);
        return arena.compareKey(row, key) == 0 ? arena.read(row, index.seq(node)) : null;
    }

    RowIterator scan(KeyRange range, long maxSeq) {
        if (range.isEmpty()) {
            return new MemtableIterator(index, arena, 0, null, false, maxSeq);
        }
        int start;
        byte[] from = range.start();
        if (from == null) {
            start = index.first();
        } else if (range.startInclusive()) {
            start = index.seek(RowKey.of(from, NEWEST));
        } else {
            start = index.seek(RowKey.of(from, OLDEST));
            while (start != 0 && arena.compareKey(index.row(start), from) == 0) {
                start = index.next(start);
            }
        }
        return new MemtableIterator(index, arena, start, range.end(), range.endInclusive(), maxSeq);
    }

    long rowCount() {
        return rowCount;
    }

    /** The smallest key, or null when empty. */
    byte[] firstKey() {
        int first = index.first();
        return first == 0 ? null : arena.key(index.row(first));
    }

    /** The largest key, or null when empty. */
    byte[] lastKey() {
        int last = index.last();
        return last == 0 ? null : arena.key(index.row(last));
    }

    long estimatedSstSize() {
        long count = rowCount;
        return SstSizeEstimate.sstSize(count, encodedRowBytes, count == 0 ? 0 : keyBytes / count);
    }

    long firstSeq() {
        return firstSeq;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The newest creation time of any row, {@link Long#MIN_VALUE} when no row has one. */
    long maxCreateTs() {
        return maxCreateTs;
    }
}
