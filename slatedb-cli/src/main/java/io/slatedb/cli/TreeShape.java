package io.slatedb.cli;

import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.Segment;

import java.util.ArrayList;
import java.util.List;

/**
 * How many L0 SSTs and sorted runs a manifest's trees (the main tree and every segment's) hold: what
 * compaction changes.
 *
 * @param l0Ssts     L0 SSTs over all trees
 * @param sortedRuns sorted runs over all trees
 */
record TreeShape(int l0Ssts, int sortedRuns) {

    static TreeShape of(Manifest manifest) {
        List<LsmTree> trees = new ArrayList<>();
        trees.add(manifest.core().tree());
        for (Segment segment : manifest.core().segments()) {
            trees.add(segment.tree());
        }
        int l0 = 0;
        int runs = 0;
        for (LsmTree tree : trees) {
            l0 += tree.l0().size();
            runs += tree.compacted().size();
        }
        return new TreeShape(l0, runs);
    }
}
