package io.slatedb.manifest;

import io.slatedb.format.Ulid;

import java.util.Objects;

/**
 * An entry of an L0 list or sorted run: a view of a physical SST, optionally restricted to a key
 * range. Version-1 manifests have no separate view ids, so there the view id is the SST's id.
 *
 * @param id           the view's id; the compactor's "last compacted L0" marker refers to it
 * @param sst          the physical SST
 * @param visibleRange the keys of the SST that are visible, or null when all of them are
 */
public record SstView(Ulid id, CompactedSst sst, KeyRange visibleRange) {

    public SstView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sst, "sst");
    }

    /** A view of the whole SST whose id is the SST's id, as every SlateDB flush and compaction makes. */
    public static SstView of(CompactedSst sst) {
        return new SstView(sst.id(), sst, null);
    }
}
