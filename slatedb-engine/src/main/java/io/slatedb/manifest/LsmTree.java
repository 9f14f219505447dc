package io.slatedb.manifest;

import io.slatedb.format.Ulid;

import java.util.List;

/**
 * One LSM tree of a database: its L0 SSTs and sorted runs, and how far the compactor has absorbed L0.
 *
 * @param lastCompactedL0ViewId the newest L0 view the compactor has absorbed, or null if none
 * @param lastCompactedL0SstId  the SST id of that view when known, or null; version-1 manifests store
 *                              this (there view and SST ids are equal), version-2 manifests the view id
 * @param l0                    L0 views, newest first
 * @param compacted             sorted runs by descending id (list position is read precedence)
 */
public record LsmTree(Ulid lastCompactedL0ViewId, Ulid lastCompactedL0SstId, List<SstView> l0,
                      List<SortedRun> compacted) {

    private static final LsmTree EMPTY = new LsmTree(null, null, List.of(), List.of());

    public LsmTree {
        l0 = List.copyOf(l0);
        compacted = List.copyOf(compacted);
    }

    /** A tree with no SSTs. */
    public static LsmTree empty() {
        return EMPTY;
    }

    /** This tree with other L0 views. */
    public LsmTree withL0(List<SstView> views) {
        return new LsmTree(lastCompactedL0ViewId, lastCompactedL0SstId, views, compacted);
    }

    /** The ids of every SST the tree's views refer to (L0 and sorted runs). */
    public java.util.Set<Ulid> sstIds() {
        java.util.Set<Ulid> ids = new java.util.HashSet<>();
        l0.forEach(view -> ids.add(view.sst().id()));
        compacted.forEach(run -> run.ssts().forEach(view -> ids.add(view.sst().id())));
        return ids;
    }
}
