package io.slatedb.reader;

import io.slatedb.iter.SortedRunIterator;
import io.slatedb.memtable.MemtableView;
import io.slatedb.sst.RowEntry;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One point get: asks the sources in precedence order for their newest version of the key at or below
 * {@code maxSeq}, and stops at the first that has one (a value or a merge operand; null for none or a
 * tombstone). Memtables answer at once; SSTs are asked one
 * after another (L0 newest first, then in each sorted run the SST the index rule picks, and the next
 * ones while they start at the key), each only when its visible range can hold the key, and each
 * consults its bloom filter first. Loops while answers are at hand, so cached reads do not nest.
 */
final class PointLookup {
    private static final CompletableFuture<RowEntry> ABSENT = CompletableFuture.completedFuture(null);

    private final TableStore tables;
    private final ReadView view;
    private final byte[] key;
    private final long maxSeq;
    private final boolean cacheBlocks;
    private int l0Index;
    private int runIndex;
    private int tableIndex = -1;
    /** Whether the last candidate is one whose recorded range excludes the key: verified, not probed. */
    private boolean excluded;

    private PointLookup(TableStore tables, ReadView view, byte[] key, long maxSeq, boolean cacheBlocks) {
        this.tables = tables;
        this.view = view;
        this.key = key;
        this.maxSeq = maxSeq;
        this.cacheBlocks = cacheBlocks;
    }

    static CompletableFuture<RowEntry> get(TableStore tables, ReadView view, byte[] key, long maxSeq,
                                           boolean cacheBlocks) {
        List<MemtableView> memtables = view.memtables();
        for (int i = 0; i < memtables.size(); i++) {
            MemtableView memtable = memtables.get(i);
            // An empty memtable (as the active one is after a flush) holds no row at or below maxSeq:
            // writes fill the memtable before their sequence number is committed.
            if (memtable.isEmpty()) {
                continue;
            }
            RowEntry row = memtable.get(key, maxSeq);
            if (row != null) {
                return visible(withOwnValue(row, key));
            }
        }
        if (view.l0().isEmpty() && view.runs().isEmpty()) {
            return ABSENT;
        }
        return new PointLookup(tables, view, key, maxSeq, cacheBlocks).searchTables();
    }

    private CompletableFuture<RowEntry> searchTables() {
        while (true) {
            TableRef table = nextCandidate();
            if (table == null) {
                return ABSENT;
            }
            CompletableFuture<RowEntry> found = excluded ? verify(table) : probe(table);
            if (!found.isDone() || found.isCompletedExceptionally()) {
                return found.thenCompose(row -> row != null ? visible(row) : searchTables());
            }
            RowEntry row = found.join();
            if (row != null) {
                // The SST's answer is already the future to return, unless it is a tombstone.
                return row.isTombstone() ? ABSENT : found;
            }
        }
    }

    /**
     * Opens {@code table}, whose recorded key range excludes the key, only to check that record against
     * the SST, once per record (read views keep their records): a damaged manifest must not hide a key.
     * Always null.
     */
    private CompletableFuture<RowEntry> verify(TableRef table) {
        if (table.checked()) {
            return ABSENT;
        }
        return tables.open(table).thenApply(handle -> null);
    }

    /** The newest version of the key at or below maxSeq in {@code table}, or null. */
    private CompletableFuture<RowEntry> probe(TableRef table) {
        CompletableFuture<SstHandle> opened = tables.open(table);
        if (opened.isDone() && !opened.isCompletedExceptionally()) {
            return opened.join().reader(cacheBlocks).get(key, maxSeq);
        }
        return opened.thenCompose(handle -> handle.reader(cacheBlocks).get(key, maxSeq));
    }

    /**
     * The next SST that may hold the key, in precedence order, or null when none is left. SSTs skipped
     * because their recorded range excludes the key (in L0, and in each run the ones around the key)
     * come back with {@link #excluded} set, so that the record that excluded them is verified.
     */
    private TableRef nextCandidate() {
        List<TableRef> l0 = view.l0();
        if (l0Index < l0.size()) {
            TableRef table = l0.get(l0Index++);
            excluded = !table.mayHold(key);
            return table;
        }
        List<List<TableRef>> runs = view.runs();
        while (runIndex < runs.size()) {
            List<TableRef> run = runs.get(runIndex);
            if (tableIndex < 0) {
                tableIndex = SortedRunIterator.firstTableFor(run, key);
            }
            // Usually one SST; later ones only when they start exactly at the key (its versions continue).
            if (tableIndex < run.size() && !run.get(tableIndex).startsAfter(key)) {
                TableRef table = run.get(tableIndex++);
                excluded = !table.mayHold(key);
                return table;
            }
            runIndex++;
            // The SST after the key, whose recorded first key put the key outside it.
            TableRef after = tableIndex < run.size() ? run.get(tableIndex) : null;
            tableIndex = -1;
            if (after != null) {
                excluded = true;
                return after;
            }
        }
        return null;
    }

    /**
     * A memtable row as a get answers it: a value of its own (the memtable keeps its arrays, and what a
     * get returns is the caller's; a merge operand too: an operator may return it as the folded value)
     * and the target array as its key, as SSTs answer (their values are decoded into new arrays).
     */
    private static RowEntry withOwnValue(RowEntry row, byte[] key) {
        if (row.isTombstone()) {
            return row;
        }
        return new RowEntry(key, row.kind(), row.value().clone(), row.seq(), row.createTs(), row.expireTs());
    }

    /**
     * What a reader sees of the newest version: values and merge operands as they are (the caller folds
     * an operand with the older versions), nothing for tombstones.
     */
    private static CompletableFuture<RowEntry> visible(RowEntry row) {
        return row.isTombstone() ? ABSENT : CompletableFuture.completedFuture(row);
    }
}
