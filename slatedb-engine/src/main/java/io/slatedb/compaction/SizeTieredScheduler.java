package io.slatedb.compaction;

import io.slatedb.CompactorOptions;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SlateDB's size-tiered compaction scheduler, for one tree:
 * <ul>
 *   <li>once there are {@code min_compaction_sources} L0 views, the oldest of them (at most
 *       {@code max_compaction_sources}) become a new sorted run with an id above every sorted run,
 *       committed or being written;</li>
 *   <li>otherwise a series of consecutive sorted runs (newest first), each at most
 *       {@code include_size_threshold} times the size of the smallest before it, of at least
 *       {@code min_compaction_sources} runs (capped at {@code max_compaction_sources}), is merged into
 *       its oldest run's id.</li>
 * </ul>
 * No source is in two compactions at once, at most {@code max_concurrent_compactions} run at a time,
 * and L0 is not compacted while the sorted runs it would join already form a full series
 * (backpressure: merge the runs first). Pure: the caller passes what is running.
 */
public final class SizeTieredScheduler {
    private final CompactorOptions options;

    public SizeTieredScheduler(CompactorOptions options) {
        this.options = options;
    }

    /** The bytes of a sorted run, by SlateDB's estimate of each SST. */
    static long sizeOf(SortedRun run) {
        long bytes = 0;
        for (SstView view : run.ssts()) {
            bytes += view.sst().info().estimatedSize();
        }
        return bytes;
    }

    /**
     * The compactions to start now.
     *
     * @param tree    the tree as the manifest lists it
     * @param running the compactions already running
     */
    public List<CompactionSpec> schedule(LsmTree tree, List<CompactionSpec> running) {
        Set<Ulid> busyL0 = new HashSet<>();
        Set<Long> busyRuns = new HashSet<>();
        long highestDestination = -1;
        for (CompactionSpec spec : running) {
            busyL0.addAll(spec.l0ViewIds());
            busyRuns.addAll(spec.sortedRunIds());
            busyRuns.add(spec.destination());
            highestDestination = Math.max(highestDestination, spec.destination());
        }
        List<CompactionSpec> picked = new ArrayList<>();
        int slots = options.maxConcurrentCompactions() - running.size();
        if (slots <= 0) {
            return picked;
        }
        CompactionSpec l0 = l0Compaction(tree, busyL0, highestDestination);
        if (l0 != null) {
            picked.add(l0);
            slots--;
        }
        List<SortedRun> runs = tree.compacted();
        int start = 0;
        while (slots > 0 && start < runs.size()) {
            List<SortedRun> series = seriesFrom(runs, start, busyRuns);
            if (series.size() >= options.minCompactionSources()) {
                picked.add(new CompactionSpec(List.of(), series, series.get(series.size() - 1).id()));
                series.forEach(run -> busyRuns.add(run.id()));
                slots--;
                start += series.size();
            } else {
                start++;
            }
        }
        return picked;
    }

    private CompactionSpec l0Compaction(LsmTree tree, Set<Ulid> busyL0, long highestDestination) {
        List<SstView> l0 = tree.l0();
        if (l0.size() < options.minCompactionSources()) {
            return null;
        }
        // The oldest views: entries are dropped from the newest end.
        List<SstView> sources = l0.subList(Math.max(0, l0.size() - options.maxCompactionSources()), l0.size());
        for (SstView view : sources) {
            if (busyL0.contains(view.id())) {
                return null;
            }
        }
        if (wouldJoinFullSeries(tree.compacted(), sources)) {
            return null;
        }
        long destination = highestDestination;
        for (SortedRun run : tree.compacted()) {
            destination = Math.max(destination, run.id());
        }
        return new CompactionSpec(sources, List.of(), destination + 1);
    }

    /**
     * Whether the run an L0 compaction makes would head a series of sorted runs that is already as
     * long as one compaction may take: adding to it only makes the merge that must come later bigger.
     */
    private boolean wouldJoinFullSeries(List<SortedRun> runs, List<SstView> sources) {
        long smallest = 0;
        for (SstView view : sources) {
            smallest += view.sst().info().estimatedSize();
        }
        int length = 0;
        for (SortedRun run : runs) {
            long size = sizeOf(run);
            if (size > options.includeSizeThreshold() * smallest) {
                break;
            }
            smallest = Math.min(smallest, size);
            length++;
        }
        return length >= options.maxCompactionSources();
    }

    /** The longest compactable series starting at {@code runs[start]} (none of it busy), capped at the maximum. */
    private List<SortedRun> seriesFrom(List<SortedRun> runs, int start, Set<Long> busy) {
        List<SortedRun> series = new ArrayList<>();
        long smallest = Long.MAX_VALUE;
        for (int i = start; i < runs.size() && series.size() < options.maxCompactionSources(); i++) {
            SortedRun run = runs.get(i);
            long size = sizeOf(run);
            if (busy.contains(run.id()) || (!series.isEmpty() && size > options.includeSizeThreshold() * smallest)) {
                break;
            }
            series.add(run);
            smallest = Math.min(smallest, size);
        }
        return series;
    }
}
