package io.slatedb.iter;

import io.slatedb.sst.KeyRange;

/** What {@link SortedRunIterator} needs to know of one SST of a sorted run before opening it. */
public interface RunTable {
    /**
     * The smallest key the table can show: its first key, or the start of its visible range when
     * that is greater. Tables of a run are ordered by it.
     */
    byte[] startKey();

    /** The keys of the table that are visible, or null when all of them are. */
    KeyRange visibleRange();
}
