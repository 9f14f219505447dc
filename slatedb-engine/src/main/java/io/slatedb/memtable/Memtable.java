package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.Objects;

/**
 * The writer's mutable memtable: a skip list of rows ordered by key ascending (unsigned), then
 * sequence number descending, so it holds every version of a key. Exactly one thread (the writer)
 * calls {@link #put} and {@link #freeze}; any number of threads read concurrently, without locks.
 */
public final class Memtable implements MemtableView {
    private final RowTable table = new RowTable();
    private volatile boolean frozen;

    /**
     * Adds {@code row}. A row with the same key and sequence number replaces the one there (the writer
     * never produces two, but replaying a WAL twice must not double-count).
     *
     * @throws IllegalStateException after {@link #freeze}
     */
    public void put(RowEntry row) {
        Objects.requireNonNull(row, "row");
        if (frozen) {
            throw new IllegalStateException("memtable is frozen");
        }
        table.put(row);
    }

    /**
     * Freezes the table: no more puts. The returned table shares the rows (nothing is copied) and
     * carries {@code lastWalId}, the id of the last WAL SST whose rows are all in this table or older
     * ones, which the L0 flush records as the manifest's replay point.
     */
    public ImmutableMemtable freeze(long lastWalId) {
        if (frozen) {
            throw new IllegalStateException("memtable is already frozen");
        }
        frozen = true;
        return new ImmutableMemtable(table, lastWalId);
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
        return "Memtable[" + rowCount() + " rows" + (frozen ? ", frozen" : "") + "]";
    }
}
