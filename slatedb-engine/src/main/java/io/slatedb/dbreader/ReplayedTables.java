package io.slatedb.dbreader;

import io.slatedb.memtable.ImmutableMemtable;
import io.slatedb.memtable.Memtable;
import io.slatedb.memtable.MemtableView;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalFile;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader's WAL rows not yet in L0, in tables of about {@code maxTableBytes} each, and how far the
 * WAL has been replayed: the last WAL file read and the highest sequence number replayed (at least the
 * manifest's {@code last_l0_seq}). Only the reader's poller changes it; reads see the tables through
 * {@link #newestFirst()} at a sequence number no higher than {@link #lastSeq()} at the time, so a row
 * added later to the open table stays invisible to them.
 */
final class ReplayedTables {
    private final long maxTableBytes;
    /** Full tables, newest first. */
    private final List<ImmutableMemtable> full = new ArrayList<>();
    /** The table being filled; it takes rows until it reaches maxTableBytes. */
    private Memtable open = new Memtable();
    private long lastWalId;
    private long lastSeq;

    /**
     * @param replayAfterWalId the manifest's {@code replay_after_wal_id}: replay starts after it
     * @param lastL0Seq        the manifest's {@code last_l0_seq}: rows at or below it are in L0 already
     */
    ReplayedTables(long maxTableBytes, long replayAfterWalId, long lastL0Seq) {
        this.maxTableBytes = maxTableBytes;
        this.lastWalId = replayAfterWalId;
        this.lastSeq = lastL0Seq;
    }

    /** The id of the last WAL file replayed (or the manifest's replay point). */
    long lastWalId() {
        return lastWalId;
    }

    /** The highest sequence number reads may see: the last replayed row's, or the L0 watermark. */
    long lastSeq() {
        return lastSeq;
    }

    /** Adds the rows of the next WAL file that L0 and earlier files do not already hold. */
    void add(WalFile file) {
        for (RowEntry row : file.rows()) {
            if (Long.compareUnsigned(row.seq(), lastSeq) <= 0) {
                continue;
            }
            open.put(row);
            lastSeq = row.seq();
        }
        lastWalId = file.id();
        if (!open.isEmpty() && open.estimatedSstSize() >= maxTableBytes) {
            full.add(0, open.freeze(file.id()));
            open = new Memtable();
        }
    }

    /**
     * Drops what a newer manifest's L0 covers: tables whose rows are all at or below {@code lastL0Seq}
     * go, tables that straddle it keep only the rows above it; replay continues from the later of the
     * last file read and {@code replayAfterWalId}.
     */
    void prune(long lastL0Seq, long replayAfterWalId) {
        List<ImmutableMemtable> kept = new ArrayList<>(full.size());
        for (ImmutableMemtable table : full) {
            if (Long.compareUnsigned(table.firstSeq(), lastL0Seq) > 0) {
                kept.add(table);
            } else if (Long.compareUnsigned(table.lastSeq(), lastL0Seq) > 0) {
                Memtable copy = above(table, lastL0Seq);
                kept.add(copy.freeze(table.lastWalId()));
            }
        }
        full.clear();
        full.addAll(kept);
        if (!open.isEmpty() && Long.compareUnsigned(open.firstSeq(), lastL0Seq) <= 0) {
            // A fresh table: the old one may still be read by reads that started before the prune.
            open = above(open, lastL0Seq);
        }
        if (Long.compareUnsigned(lastL0Seq, lastSeq) > 0) {
            lastSeq = lastL0Seq;
        }
        if (Long.compareUnsigned(replayAfterWalId, lastWalId) > 0) {
            lastWalId = replayAfterWalId;
        }
    }

    /** The tables holding rows, newest first, as a read view takes them. */
    List<MemtableView> newestFirst() {
        List<MemtableView> tables = new ArrayList<>(full.size() + 1);
        if (!open.isEmpty()) {
            tables.add(open);
        }
        tables.addAll(full);
        return List.copyOf(tables);
    }

    /** How many tables hold rows. */
    int tableCount() {
        return full.size() + (open.isEmpty() ? 0 : 1);
    }

    private static Memtable above(MemtableView table, long seq) {
        Memtable copy = new Memtable();
        RowIterator rows = table.scan(KeyRange.all(), -1L);
        for (RowEntry row = Futures.join(rows.next()); row != null; row = Futures.join(rows.next())) {
            if (Long.compareUnsigned(row.seq(), seq) > 0) {
                copy.put(row);
            }
        }
        return copy;
    }
}
