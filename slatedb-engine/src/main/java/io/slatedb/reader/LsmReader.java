package io.slatedb.reader;

import io.slatedb.MergeOperator;
import io.slatedb.iter.DeferredRowIterator;
import io.slatedb.iter.MergeOperands;
import io.slatedb.iter.MergingIterator;
import io.slatedb.iter.SortedRunIterator;
import io.slatedb.iter.VisibleRowIterator;
import io.slatedb.memtable.MemtableView;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.sst.ValueKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The read path of {@code Db} and {@code DbReader}: point gets and scans over a {@link ReadView} at a
 * sequence number {@code maxSeq} (unsigned; rows above it are invisible). A read sees, per key, the
 * version with the highest sequence number at or below {@code maxSeq} from the highest-precedence
 * source that has one; a tombstone there means the key is absent. Expired rows are returned (reads
 * never consult the clock). When that version is a merge operand, the key's visible operands are folded
 * with the older visible value (if any) by the merge operator; without one the read fails with kind
 * INVALID.
 * Thread-safe; holds no lock across I/O.
 */
public final class LsmReader {
    /** How many SST iterators a scan starts (opens and reads the first block of) at once. */
    static final int SCAN_BUILD_PARALLELISM = 4;

    private final TableStore tables;
    private final MergeOperator operator;

    /** A reader without a merge operator. */
    public LsmReader(TableStore tables) {
        this(tables, null);
    }

    /** @param operator folds merge operands; null when there is none */
    public LsmReader(TableStore tables, MergeOperator operator) {
        this.tables = Objects.requireNonNull(tables, "tables");
        this.operator = operator;
    }

    public TableStore tables() {
        return tables;
    }

    /**
     * The visible row of {@code key}: a {@link io.slatedb.sst.ValueKind#VALUE} row, or null when the key
     * is absent or deleted. The row's value is the caller's own (copied once out of a memtable or a
     * block), so callers may hand it out without copying it again; its key is {@code key} itself (a
     * caller handing the key out copies it once). When the row comes from memory
     * (memtables, cached blocks and filters) the future is complete on return.
     */
    public CompletableFuture<RowEntry> get(ReadView view, byte[] key, long maxSeq, GetParams params) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(params, "params");
        CompletableFuture<RowEntry> newest = PointLookup.get(tables, view, key, maxSeq, params.cacheBlocks());
        if (newest.isDone() && !newest.isCompletedExceptionally()) {
            RowEntry row = newest.join();
            if (row == null || row.kind() != ValueKind.MERGE_OPERAND) {
                // Answered from memory with nothing to fold: the future is the answer.
                return newest;
            }
        }
        return newest.thenCompose(row -> {
            if (row == null || row.kind() != ValueKind.MERGE_OPERAND) {
                return CompletableFuture.completedFuture(row);
            }
            if (operator == null) {
                return CompletableFuture.failedFuture(MergeOperands.missingOperator(row));
            }
            // The operand needs the key's older versions: read them all, as a scan of the one key does.
            LsmScan versions = scan(view, KeyRange.point(key), maxSeq,
                    ScanParams.DEFAULTS.withCacheBlocks(params.cacheBlocks()));
            return versions.next().whenComplete((folded, error) -> versions.close());
        });
    }

    /** The visible rows with keys in {@code range}, in key order. */
    public LsmScan scan(ReadView view, KeyRange range, long maxSeq, ScanParams params) {
        return new LsmScan(new VisibleRowIterator(versions(view, range, maxSeq, params), maxSeq, operator));
    }

    /**
     * Per key in {@code range}, the newest row at or below {@code maxSeq} as stored (a value, a
     * tombstone or a merge operand, not folded), when its sequence number is above {@code sinceSeq}
     * (unsigned), in key order. Memtables whose rows are all at or below {@code sinceSeq} are not read,
     * and neither is the tree when the view knows its last sequence number and it is not above
     * {@code sinceSeq}: an SST's own metadata holds no sequence numbers, so SSTs are otherwise read
     * and their older rows filtered.
     */
    public LsmScan scanSince(ReadView view, KeyRange range, long maxSeq, long sinceSeq, ScanParams params) {
        return new LsmScan(VisibleRowIterator.newestRows(sources(view, range, maxSeq, sinceSeq, params), maxSeq,
                sinceSeq));
    }

    /**
     * Every version of every key in {@code range} from every source of the view, in (key ascending,
     * sequence number descending) order, highest-precedence source first on ties; memtable rows above
     * {@code maxSeq} are left out. What compaction merges.
     */
    public RowIterator versions(ReadView view, KeyRange range, long maxSeq, ScanParams params) {
        return sources(view, range, maxSeq, null, params);
    }

    /** {@link #versions}, leaving out the sources known to hold nothing above {@code sinceSeq} (null: none). */
    private RowIterator sources(ReadView view, KeyRange range, long maxSeq, Long sinceSeq, ScanParams params) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(params, "params");
        List<RowIterator> sources = new ArrayList<>();
        if (!range.isEmpty()) {
            for (MemtableView memtable : view.memtables()) {
                if (sinceSeq == null || (!memtable.isEmpty() && Long.compareUnsigned(memtable.lastSeq(), sinceSeq) > 0)) {
                    sources.add(memtable.scan(range, maxSeq));
                }
            }
            if (sinceSeq != null && view.treeLastSeq().isPresent()
                    && Long.compareUnsigned(view.treeLastSeq().getAsLong(), sinceSeq) <= 0) {
                return merged(sources);
            }
            for (TableRef table : view.l0()) {
                KeyRange clipped = range.intersect(table.visibleRange());
                if (!clipped.isEmpty()) {
                    sources.add(new DeferredRowIterator(() -> scanTable(table, clipped, params)));
                }
            }
            for (List<TableRef> run : view.runs()) {
                if (!run.isEmpty()) {
                    sources.add(new SortedRunIterator<>(run, range, (table, clipped) -> scanTable(table, clipped, params)));
                }
            }
        }
        return merged(sources);
    }

    private static RowIterator merged(List<RowIterator> sources) {
        return sources.size() == 1 ? sources.get(0) : new MergingIterator(sources, SCAN_BUILD_PARALLELISM);
    }

    /** The visible rows whose keys start with {@code prefix}, in key order. */
    public LsmScan scanPrefix(ReadView view, byte[] prefix, long maxSeq, ScanParams params) {
        return scan(view, KeyRange.prefix(Objects.requireNonNull(prefix, "prefix")), maxSeq, params);
    }

    /**
     * The rows of {@code table} in {@code range}. A range of one key (what a get that meets a merge
     * operand reads) asks the SST's bloom filter first, so that only the SSTs that may hold the key read
     * a block, as in a point get.
     */
    private CompletableFuture<RowIterator> scanTable(TableRef table, KeyRange range, ScanParams params) {
        return tables.open(table).thenCompose(handle -> {
            if (!isSingleKey(range)) {
                return CompletableFuture.completedFuture(handle.scan(range, params));
            }
            return handle.reader(params.cacheBlocks()).loadFilter().thenApply(filter ->
                    filter.isPresent() && !filter.get().mightContain(range.start()) ? NO_ROWS : handle.scan(range, params));
        });
    }

    private static final RowIterator NO_ROWS = () -> CompletableFuture.completedFuture(null);

    private static boolean isSingleKey(KeyRange range) {
        return range.start() != null && range.startInclusive() && range.endInclusive()
                && Arrays.equals(range.start(), range.end());
    }
}
