package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

/**
 * What readers see of a memtable, mutable or frozen. Every read takes a {@code maxSeq} (unsigned) and
 * sees only rows at or below it; that is what makes reads consistent while the writer adds rows with
 * higher sequence numbers. Thread-safe.
 */
public interface MemtableView {
    /**
     * The newest row of {@code key} whose sequence number is at most {@code maxSeq}, tombstones and
     * merge operands included, or null when there is none.
     */
    RowEntry get(byte[] key, long maxSeq);

    /**
     * The rows with keys in {@code range} and sequence numbers at most {@code maxSeq}, every version,
     * in key order and newest first within a key. The iterator's futures are always complete.
     */
    RowIterator scan(KeyRange range, long maxSeq);

    /** The rows whose keys start with {@code prefix}, as {@link #scan} returns them. */
    default RowIterator scanPrefix(byte[] prefix, long maxSeq) {
        return scan(KeyRange.prefix(prefix), maxSeq);
    }

    /** The number of rows. */
    long rowCount();

    /** Whether the table holds no rows. */
    default boolean isEmpty() {
        return rowCount() == 0;
    }

    /** An estimate of the size of the compacted SST the rows would be written to, in bytes. */
    long estimatedSstSize();

    /** The lowest sequence number (unsigned) of any row; meaningless when the table is empty. */
    long firstSeq();

    /** The highest sequence number (unsigned) of any row; meaningless when the table is empty. */
    long lastSeq();
}
