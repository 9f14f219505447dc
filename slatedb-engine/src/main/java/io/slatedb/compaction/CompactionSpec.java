package io.slatedb.compaction;

import io.slatedb.format.Ulid;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;

import java.util.List;

/**
 * What one compaction merges and where the result goes. The sources are consecutive in the tree's
 * read order (L0 newest to oldest, then sorted runs by descending id).
 *
 * @param l0          the L0 views it reads, newest first
 * @param sortedRuns  the sorted runs it reads, by descending id
 * @param destination the id of the sorted run it writes: a fresh id above every other for a
 *                    compaction of L0 only, else the lowest id among its sorted runs
 */
public record CompactionSpec(List<SstView> l0, List<SortedRun> sortedRuns, long destination) {

    public CompactionSpec {
        l0 = List.copyOf(l0);
        sortedRuns = List.copyOf(sortedRuns);
        if (l0.isEmpty() && sortedRuns.isEmpty()) {
            throw new IllegalArgumentException("a compaction needs a source");
        }
    }

    /** The L0 view ids, newest first. */
    public List<Ulid> l0ViewIds() {
        return l0.stream().map(SstView::id).toList();
    }

    /** The sorted run ids, by descending id. */
    public List<Long> sortedRunIds() {
        return sortedRuns.stream().map(SortedRun::id).toList();
    }

    /** The estimated bytes the compaction reads (SlateDB's size estimate of each source SST). */
    public long estimatedInputBytes() {
        long bytes = 0;
        for (SstView view : l0) {
            bytes += view.sst().info().estimatedSize();
        }
        for (SortedRun run : sortedRuns) {
            bytes += SizeTieredScheduler.sizeOf(run);
        }
        return bytes;
    }
}
