package io.slatedb.compaction;

import io.slatedb.MergeOperator;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.format.UlidGenerator;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.ScanParams;
import io.slatedb.reader.TableStore;
import io.slatedb.sst.EncodedSst;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Runs one compaction: merges its sources' rows, keeps what the {@link RetentionFilter} keeps (folding
 * merge operands with the merge operator, when there is one), and
 * writes the result as a new sorted run of SSTs of about {@code max_sst_size} bytes each, in key order.
 * A key's versions never straddle two SSTs. Each SST is uploaded as soon as it is complete, so memory
 * holds one output SST and the sources' read buffers ({@link ScanParams}); the result is listed in no
 * manifest yet (the caller commits it). Blocking: call it from a compaction thread.
 */
final class CompactionExecutor {
    private final ObjectStore store;
    private final DbLayout layout;
    private final TableStore tables;
    private final SstWriterOptions sstOptions;
    private final UlidGenerator ulids;
    private final long maxSstSize;
    private final ScanParams scanParams;
    private final boolean trivialMove;
    private final MergeOperator mergeOperator;
    private final LongConsumer bytesWritten;

    CompactionExecutor(ObjectStore store, DbLayout layout, TableStore tables, SstWriterOptions sstOptions,
                       UlidGenerator ulids, long maxSstSize, ScanParams scanParams, boolean trivialMove,
                       MergeOperator mergeOperator, LongConsumer bytesWritten) {
        this.store = store;
        this.layout = layout;
        this.tables = tables;
        this.sstOptions = sstOptions;
        this.ulids = ulids;
        this.maxSstSize = maxSstSize;
        this.scanParams = scanParams;
        this.trivialMove = trivialMove;
        this.mergeOperator = mergeOperator;
        this.bytesWritten = bytesWritten;
    }

    /**
     * Writes the output of {@code spec} over {@code manifest}'s tree.
     *
     * @param manifest the manifest the spec was made from (its tree decides whether tombstones can go,
     *                 its external databases where source SSTs live, its watermarks the retention)
     * @param cancelled polled between rows; when it turns true the compaction stops with
     *                 {@link java.util.concurrent.CancellationException}
     */
    SortedRun run(CompactionSpec spec, Manifest manifest, java.util.function.BooleanSupplier cancelled) {
        LsmTree tree = manifest.core().tree();
        if (trivialMove) {
            List<SstView> moved = disjoint(spec);
            if (moved != null) {
                return new SortedRun(spec.destination(), moved);
            }
        }
        LsmTree sources = new LsmTree(null, null, spec.l0(), spec.sortedRuns());
        ReadView view = ReadView.of(List.of(), sources, tables.paths(manifest.externalDbs()), null);
        RowIterator rows = new LsmReader(tables).versions(view, KeyRange.all(), -1L, scanParams);
        RetentionFilter retention = new RetentionFilter(manifest.core().recentSnapshotMinSeq(),
                manifest.core().lastL0ClockTick(), isOldest(tree, spec), mergeOperator);

        List<SstView> outputs = new ArrayList<>();
        SstBuilder builder = SstBuilder.compacted(sstOptions);
        List<RowEntry> versions = new ArrayList<>();
        RowEntry row = Futures.join(rows.next());
        while (row != null) {
            if (cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("the compactor stopped");
            }
            versions.clear();
            byte[] key = row.key();
            while (row != null && Arrays.equals(row.key(), key)) {
                versions.add(row);
                row = Futures.join(rows.next());
            }
            List<RowEntry> kept = retention.retain(versions);
            if (kept.isEmpty()) {
                continue;
            }
            if (builder.rowCount() > 0 && builder.estimatedSize() >= maxSstSize) {
                outputs.add(upload(builder.build()));
                builder = SstBuilder.compacted(sstOptions);
            }
            kept.forEach(builder::add);
        }
        if (builder.rowCount() > 0) {
            outputs.add(upload(builder.build()));
        }
        return new SortedRun(spec.destination(), outputs);
    }

    /**
     * The sources' SSTs in key order when no two of them share a key (and none is a restricted view),
     * so that they form a sorted run as they are; else null.
     */
    static List<SstView> disjoint(CompactionSpec spec) {
        List<SstView> all = new ArrayList<>(spec.l0());
        spec.sortedRuns().forEach(run -> all.addAll(run.ssts()));
        for (SstView view : all) {
            if (view.visibleRange() != null || view.sst().info().firstEntry() == null
                    || view.sst().info().lastEntry() == null) {
                return null;
            }
        }
        all.sort((a, b) -> Arrays.compareUnsigned(a.sst().info().firstEntry(), b.sst().info().firstEntry()));
        for (int i = 1; i < all.size(); i++) {
            if (Arrays.compareUnsigned(all.get(i - 1).sst().info().lastEntry(), all.get(i).sst().info().firstEntry()) >= 0) {
                return null;
            }
        }
        return all;
    }

    /** Whether no sorted run outside the compaction is older than its output: nothing older is left. */
    static boolean isOldest(LsmTree tree, CompactionSpec spec) {
        List<Long> sources = spec.sortedRunIds();
        for (SortedRun run : tree.compacted()) {
            if (run.id() < spec.destination() && !sources.contains(run.id())) {
                return false;
            }
        }
        return true;
    }

    private SstView upload(EncodedSst sst) {
        Ulid id = ulids.next();
        Futures.join(store.put(layout.compactedSstPath(id), sst.bytes(), PutOptions.OVERWRITE));
        bytesWritten.accept(sst.bytes().length);
        return SstView.of(new CompactedSst(id, sst.info(), sst.formatVersion()));
    }
}
