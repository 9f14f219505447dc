package io.slatedb.compaction;

import io.slatedb.format.Ulid;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestMerge;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a finished compaction changes the manifest (SlateDB's {@code finish_compaction}): its source
 * L0 views and sorted runs go, its output run is inserted at its place by descending id, and when it
 * read L0 the "last compacted L0" marker moves to its newest L0 source.
 */
final class CompactionResult {
    private CompactionResult() {
    }

    /** {@code manifest} with the compaction of {@code spec} into {@code output} applied. */
    static Manifest apply(Manifest manifest, CompactionSpec spec, SortedRun output) {
        LsmTree tree = manifest.core().tree();
        Set<Ulid> l0Sources = new HashSet<>(spec.l0ViewIds());
        List<SstView> l0 = tree.l0().stream().filter(view -> !l0Sources.contains(view.id())).toList();
        Set<Long> runSources = new HashSet<>(spec.sortedRunIds());
        List<SortedRun> runs = new ArrayList<>();
        for (SortedRun run : tree.compacted()) {
            if (!runSources.contains(run.id())) {
                runs.add(run);
            }
        }
        if (!output.ssts().isEmpty()) {
            runs.add(output);
        }
        runs.sort(Comparator.comparingLong(SortedRun::id).reversed());
        Ulid markerView = tree.lastCompactedL0ViewId();
        Ulid markerSst = tree.lastCompactedL0SstId();
        if (!spec.l0().isEmpty()) {
            SstView newest = spec.l0().get(0);
            markerView = newest.id();
            markerSst = newest.sst().id();
        }
        LsmTree updated = new LsmTree(markerView, markerSst, l0, runs);
        return ManifestMerge.pruneExternalSstIds(manifest.withCore(manifest.core().toBuilder().tree(updated).build()));
    }
}
