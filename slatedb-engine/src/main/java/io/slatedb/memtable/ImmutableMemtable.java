package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

/**
 * A frozen memtable waiting to be flushed to L0 (or, in a reader, a table replayed from the WAL).
 * Read-only and thread-safe; iterating it in full ({@link #scan} with {@link KeyRange#all()} and the
 * largest sequence number, -1 as unsigned) gives the rows in the order an SST builder takes them.
 */
public final class ImmutableMemtable implements MemtableView {
    private final RowTable table;
    private final long lastWalId;

    ImmutableMemtable(RowTable table, long lastWalId) {
        this.table = table;
        this.lastWalId = lastWalId;
    }

    /** The id of the last WAL SST whose rows are all in this table or in older ones. */
    public long lastWalId() {
        return lastWalId;
    }

    /** The smallest key, or null when the table is empty. */
    public byte[] firstKey() {
        return table.firstKey();
    }

    /** The largest key, or null when the table is empty. */
    public byte[] lastKey() {
        return table.lastKey();
    }

    /**
     * The newest creation time of any row (the memtable's last clock tick), {@link Long#MIN_VALUE}
     * when no row has one.
     */
    public long maxCreateTs() {
        return table.maxCreateTs();
    }

    @Override
    public RowEntry get(byte[] key, long maxSeq) {
        return table.get(key, maxSeq);
    }

    @Override
    public RowIterator scan(KeyRange range, long maxSeq) {
        return table.scan(range, maxSeq);
    }

    @Override
    public long rowCount() {
        return table.rowCount();
    }

    @Override
    public long estimatedSstSize() {
        return table.estimatedSstSize();
    }

    @Override
    public long firstSeq() {
        return table.firstSeq();
    }

    @Override
    public long lastSeq() {
        return table.lastSeq();
    }

    @Override
    public String toString() {
        return "ImmutableMemtable[" + rowCount() + " rows, last WAL " + Long.toUnsignedString(lastWalId) + "]";
    }
}
