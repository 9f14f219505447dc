package io.slatedb.sst;

import java.util.Iterator;

/**
 * Iterates the rows of one block in stored order. Malformed rows are reported by
 * {@link io.slatedb.format.FormatException} from {@link #hasNext()} or {@link #next()}.
 */
public interface BlockIterator extends Iterator<RowEntry> {
    /**
     * Positions the iterator before the first row whose key is at least {@code key} (unsigned byte
     * order), so {@link #next()} returns that row. Only meaningful for blocks of compacted SSTs, whose
     * rows are ordered by key ascending and then sequence number descending.
     */
    void seek(byte[] key);
}
