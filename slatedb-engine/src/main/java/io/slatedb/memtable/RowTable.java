package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The skip list behind a memtable and its bookkeeping. One thread writes ({@link #put}); any number
 * read. The counters are volatile fields written only by that one thread, so reads of them need no
 * lock and writes need no atomic read-modify-write.
 */
final class RowTable {
    /** Unsigned maximum: the first position of a key in (key ASC, seq DESC) order. */
    private static final long NEWEST = -1L;
    /** Unsigned minimum: the last position of a key. */
    private static final long OLDEST = 0L;

    // Keyed by (key, seq) with the key's first 8 bytes inlined: most comparisons then end without
    // touching the key array, which halves the cache misses of an insert into a large table.
    private final ConcurrentSkipListMap<RowKey, RowEntry> rows = new ConcurrentSkipListMap<>(RowKey.ORDER);
    private volatile long rowCount;
    private volatile long encodedRowBytes;
    private volatile long keyBytes;
    private volatile long firstSeq;
    private volatile long lastSeq;

    /** Adds {@code row}; a row with the same key and sequence number is replaced. Writer thread only. */
    void put(RowEntry row) {
        RowEntry previous = rows.put(RowKey.of(row.key(), row.seq()), row);
        long count = rowCount;
        long bytes = encodedRowBytes + SstSizeEstimate.encodedRowSize(row);
        long keys = keyBytes + row.key().length;
        if (previous != null) {
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
        encodedRowBytes = bytes;
        keyBytes = keys;
        // Last, so a reader that sees the count also sees the sequence bounds of those rows.
        rowCount = count;
    }

    RowEntry get(byte[] key, long maxSeq) {
        Map.Entry<RowKey, RowEntry> found = rows.ceilingEntry(probe(key, maxSeq));
        return found != null && Arrays.equals(found.getValue().key(), key) ? found.getValue() : null;
    }

    RowIterator scan(KeyRange range, long maxSeq) {
        if (range.isEmpty()) {
            // The skip list rejects sub-maps whose bounds are out of order.
            return new MemtableIterator(Collections.emptyIterator(), maxSeq);
        }
        return new MemtableIterator(slice(range).values().iterator(), maxSeq);
    }

    private NavigableMap<RowKey, RowEntry> slice(KeyRange range) {
        NavigableMap<RowKey, RowEntry> view = rows;
        if (range.start() != null) {
            view = range.startInclusive()
                    ? view.tailMap(probe(range.start(), NEWEST), true)
                    : view.tailMap(probe(range.start(), OLDEST), false);
        }
        if (range.end() != null) {
            view = range.endInclusive()
                    ? view.headMap(probe(range.end(), OLDEST), true)
                    : view.headMap(probe(range.end(), NEWEST), false);
        }
        return view;
    }

    /** A search key at (key, seq). */
    private static RowKey probe(byte[] key, long seq) {
        return RowKey.of(key, seq);
    }

    long rowCount() {
        return rowCount;
    }

    /** The smallest key, or null when empty. */
    byte[] firstKey() {
        Map.Entry<RowKey, RowEntry> first = rows.firstEntry();
        return first == null ? null : first.getValue().key();
    }

    /** The largest key, or null when empty. */
    byte[] lastKey() {
        Map.Entry<RowKey, RowEntry> last = rows.lastEntry();
        return last == null ? null : last.getValue().key();
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
}
