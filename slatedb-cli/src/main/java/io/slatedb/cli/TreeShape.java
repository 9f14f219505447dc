package io.slatedb.cli;

import io.slatedb.ManifestView;

/**
 * How many L0 SSTs and sorted runs a manifest's trees (the main tree and every segment's) hold: what
 * compaction changes.
 *
 * @param l0Ssts     L0 SSTs over all trees
 * @param sortedRuns sorted runs over all trees
 */
record TreeShape(int l0Ssts, int sortedRuns) {

    static TreeShape of(ManifestView manifest) {
        int l0 = 0;
        int runs = 0;
        for (ManifestView.Tree tree : manifest.allTrees()) {
            l0 += tree.l0().size();
            runs += tree.sortedRuns().size();
        }
        return new TreeShape(l0, runs);
    }
}
