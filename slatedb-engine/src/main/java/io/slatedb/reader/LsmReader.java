package io.slatedb.reader;

import io.slatedb.iter.DeferredRowIterator;
import io.slatedb.iter.MergingIterator;
import io.slatedb.iter.SortedRunIterator;
import io.slatedb.iter.VisibleRowIterator;
import io.slatedb.memtable.MemtableView;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The read path of {@code Db} and {@code DbReader}: point gets and scans over a {@link ReadView} at a
 * sequence number {@code maxSeq} (unsigned; rows above it are invisible). A read sees, per key, the
 * version with the highest sequence number at or below {@code maxSeq} from the highest-precedence
 * source that has one; a tombstone there means the key is absent. Expired rows are returned (reads
 * never consult the clock). Merge operands fail the read with kind INVALID until merge operators exist.
 * Thread-safe; holds no lock across I/O.
 */
public final class LsmReader {
    /** How many SST iterators a scan starts (opens and reads the first block of) at once. */
    static final int SCAN_BUILD_PARALLELISM = 4;

    private final TableStore tables;

    public LsmReader(TableStore tables) {
        this.tables = Objects.requireNonNull(tables, "tables");
    }

    public TableStore tables() {
        return tables;
    }

    /**
     * The visible row of {@code key}: a {@link io.slatedb.sst.ValueKind#VALUE} row, or null when the key
     * is absent or deleted.
     */
    public CompletableFuture<RowEntry> get(ReadView view, byte[] key, long maxSeq, GetParams params) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(params, "params");
        return PointLookup.get(tables, view, key, maxSeq, params.cacheBlocks());
    }

    /** The visible rows with keys in {@code range}, in key order. */
    public LsmScan scan(ReadView view, KeyRange range, long maxSeq, ScanParams params) {
        return new LsmScan(new VisibleRowIterator(versions(view, range, maxSeq, params), maxSeq));
    }

    /**
     * Every version of every key in {@code range} from every source of the view, in (key ascending,
     * sequence number descending) order, highest-precedence source first on ties; memtable rows above
     * {@code maxSeq} are left out. What compaction merges.
     */
    public RowIterator versions(ReadView view, KeyRange range, long maxSeq, ScanParams params) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(params, "params");
        List<RowIterator> sources = new ArrayList<>();
        if (!range.isEmpty()) {
            for (MemtableView memtable : view.memtables()) {
                sources.add(memtable.scan(range, maxSeq));
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
        return sources.size() == 1 ? sources.get(0) : new MergingIterator(sources, SCAN_BUILD_PARALLELISM);
    }

    /** The visible rows whose keys start with {@code prefix}, in key order. */
    public LsmScan scanPrefix(ReadView view, byte[] prefix, long maxSeq, ScanParams params) {
        return scan(view, KeyRange.prefix(Objects.requireNonNull(prefix, "prefix")), maxSeq, params);
    }

    private CompletableFuture<RowIterator> scanTable(TableRef table, KeyRange range, ScanParams params) {
        return tables.open(table).thenApply(handle -> handle.scan(range, params));
    }
}
