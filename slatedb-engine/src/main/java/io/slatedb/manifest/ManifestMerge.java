package io.slatedb.manifest;

import io.slatedb.format.Ulid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a process that lost a manifest race combines its own view with the stored one (SlateDB's
 * {@code merge_remote_manifest}). Several processes write the manifest, each owning some fields:
 * the writer owns the WAL position, sequence and clock watermarks and the L0 list it flushes; the
 * compactor owns the sorted runs and the "last compacted L0" markers; checkpoints, clone sources and
 * epochs are taken from the stored copy by both.
 */
public final class ManifestMerge {
    private ManifestMerge() {
    }

    /** The writer's merge: its own core fields and L0 (minus what the compactor absorbed), the rest stored. */
    public static Manifest forWriter(Manifest local, Manifest stored) {
        ManifestCore mine = local.core();
        ManifestCore theirs = stored.core();
        ManifestCore merged = mine.toBuilder()
                .tree(writerTree(mine.tree(), theirs.tree()))
                .segments(writerSegments(mine.segments(), theirs.segments()))
                .checkpoints(theirs.checkpoints())
                .build();
        Manifest result = new Manifest(stored.externalDbs(), merged, stored.writerEpoch(), stored.compactorEpoch());
        return pruneExternalSstIds(result);
    }

    /**
     * The compactor's merge, the writer's mirror image: the compactor owns the sorted runs and the
     * "last compacted L0" markers and takes everything else from the stored copy, whose L0 list it
     * trims by its own marker (the L0 views it absorbed into a sorted run). Neither side's merge can
     * drop the other's work: an L0 flushed after the compactor read the manifest is newer than its
     * marker and survives, and a sorted run the compactor wrote is taken as is by the writer.
     */
    public static Manifest forCompactor(Manifest local, Manifest stored) {
        ManifestCore mine = local.core();
        ManifestCore theirs = stored.core();
        ManifestCore merged = theirs.toBuilder()
                .tree(compactorTree(mine.tree(), theirs.tree()))
                .build();
        Manifest result = new Manifest(stored.externalDbs(), merged, stored.writerEpoch(), stored.compactorEpoch());
        return pruneExternalSstIds(result);
    }

    private static LsmTree compactorTree(LsmTree mine, LsmTree theirs) {
        return new LsmTree(mine.lastCompactedL0ViewId(), mine.lastCompactedL0SstId(),
                withoutAbsorbed(theirs.l0(), mine.lastCompactedL0ViewId()), mine.compacted());
    }

    private static LsmTree writerTree(LsmTree mine, LsmTree theirs) {
        return new LsmTree(theirs.lastCompactedL0ViewId(), theirs.lastCompactedL0SstId(),
                withoutAbsorbed(mine.l0(), theirs.lastCompactedL0ViewId()), theirs.compacted());
    }

    private static List<Segment> writerSegments(List<Segment> mine, List<Segment> theirs) {
        List<Segment> merged = new ArrayList<>();
        for (Segment segment : mine) {
            LsmTree stored = theirs.stream().filter(s -> Arrays.equals(s.prefix(), segment.prefix()))
                    .map(Segment::tree).findFirst().orElse(LsmTree.empty());
            merged.add(new Segment(segment.prefix(), writerTree(segment.tree(), stored)));
        }
        return merged;
    }

    /**
     * The L0 views (newest first) the compactor has not absorbed: everything newer than the view the
     * marker names. Without a marker, or when the marker is not in the list, nothing was absorbed.
     */
    public static List<SstView> withoutAbsorbed(List<SstView> l0, Ulid lastCompactedViewId) {
        if (lastCompactedViewId == null) {
            return l0;
        }
        for (int i = 0; i < l0.size(); i++) {
            if (l0.get(i).id().equals(lastCompactedViewId)) {
                return List.copyOf(l0.subList(0, i));
            }
        }
        return l0;
    }

    /**
     * Shrinks each clone source's SST list to the SSTs some tree still references. Entries themselves
     * stay; removing them (and the pin checkpoint they hold) is the garbage collector's detach task.
     */
    public static Manifest pruneExternalSstIds(Manifest manifest) {
        if (manifest.externalDbs().isEmpty()) {
            return manifest;
        }
        Set<Ulid> referenced = new HashSet<>(manifest.core().tree().sstIds());
        manifest.core().segments().forEach(segment -> referenced.addAll(segment.tree().sstIds()));
        List<ExternalDb> pruned = manifest.externalDbs().stream()
                .map(db -> new ExternalDb(db.path(), db.sourceCheckpointId(), db.finalCheckpointId(),
                        db.sstIds().stream().filter(referenced::contains).toList()))
                .toList();
        return manifest.withExternalDbs(pruned);
    }
}
