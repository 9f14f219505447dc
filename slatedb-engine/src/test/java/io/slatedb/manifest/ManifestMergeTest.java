package io.slatedb.manifest;

import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ManifestMergeTest {
    private static final SstInfo INFO = new SstInfo(new byte[] {1}, 100, 10, 100, 0, CompressionCodec.NONE,
            SstType.COMPACTED, new byte[] {9}, 0, 0, FilterFormat.LEGACY);

    private static SstView view(long millis) {
        return SstView.of(new CompactedSst(Ulid.of(millis, 0, millis), INFO, 2));
    }

    private static Checkpoint checkpoint(long manifestId) {
        return new Checkpoint(new UUID(manifestId, 1), manifestId, 0, 1000, null, OptionalLong.empty());
    }

    @Test
    void theWriterKeepsItsWalAndL0AndTakesCheckpointsRunsAndEpochsFromTheStoredCopy() {
        SstView a = view(1), b = view(2), c = view(3), d = view(4);
        SortedRun run = new SortedRun(0, List.of(view(0)));
        // Stored: the compactor absorbed a and b into run 0; a reader added a checkpoint; epochs moved.
        Manifest stored = new Manifest(List.of(), ManifestCore.initial().toBuilder()
                .tree(new LsmTree(b.id(), b.sst().id(), List.of(b, a), List.of(run)))
                .checkpoints(List.of(checkpoint(7)))
                .nextWalSstId(5).replayAfterWalId(3).lastL0Seq(40)
                .build(), 3, 2);
        // Local: the writer has since flushed c and d and moved its WAL position.
        Manifest local = new Manifest(List.of(), ManifestCore.initial().toBuilder()
                .tree(new LsmTree(null, null, List.of(d, c, b, a), List.of()))
                .nextWalSstId(12).replayAfterWalId(9).lastL0Seq(90).lastL0ClockTick(1234)
                .build(), 3, 1);

        Manifest merged = ManifestMerge.forWriter(local, stored);

        assertEquals(List.of(d, c), merged.core().l0());
        assertEquals(List.of(run), merged.core().compacted());
        assertEquals(b.id(), merged.core().tree().lastCompactedL0ViewId());
        assertEquals(List.of(checkpoint(7)), merged.core().checkpoints());
        assertEquals(12, merged.core().nextWalSstId());
        assertEquals(9, merged.core().replayAfterWalId());
        assertEquals(90, merged.core().lastL0Seq());
        assertEquals(1234, merged.core().lastL0ClockTick());
        assertEquals(3, merged.writerEpoch());
        assertEquals(2, merged.compactorEpoch());
    }

    @Test
    void theCompactorKeepsItsRunsAndMarkerAndTakesEverythingElseFromTheStoredCopy() {
        SstView a = view(1), b = view(2), c = view(3), d = view(4);
        SortedRun run = new SortedRun(0, List.of(view(0)));
        // Stored: the writer flushed c and d after the compactor read the manifest, and a checkpoint came.
        Manifest stored = new Manifest(List.of(), ManifestCore.initial().toBuilder()
                .tree(new LsmTree(null, null, List.of(d, c, b, a), List.of()))
                .checkpoints(List.of(checkpoint(7)))
                .nextWalSstId(12).replayAfterWalId(9).lastL0Seq(90).recentSnapshotMinSeq(90)
                .build(), 4, 2);
        // Local: the compactor absorbed a and b into run 0.
        Manifest local = new Manifest(List.of(), ManifestCore.initial().toBuilder()
                .tree(new LsmTree(b.id(), b.sst().id(), List.of(), List.of(run)))
                .nextWalSstId(5).replayAfterWalId(3).lastL0Seq(40)
                .build(), 3, 2);

        Manifest merged = ManifestMerge.forCompactor(local, stored);

        assertEquals(List.of(d, c), merged.core().l0(), "the writer's new L0s survive, the absorbed ones go");
        assertEquals(List.of(run), merged.core().compacted());
        assertEquals(b.id(), merged.core().tree().lastCompactedL0ViewId());
        assertEquals(List.of(checkpoint(7)), merged.core().checkpoints());
        assertEquals(12, merged.core().nextWalSstId());
        assertEquals(9, merged.core().replayAfterWalId());
        assertEquals(90, merged.core().lastL0Seq());
        assertEquals(90, merged.core().recentSnapshotMinSeq());
        assertEquals(4, merged.writerEpoch());
        // And the writer's next merge keeps the run: neither side drops the other's work.
        Manifest writerNext = ManifestMerge.forWriter(stored, merged);
        assertEquals(List.of(d, c), writerNext.core().l0());
        assertEquals(List.of(run), writerNext.core().compacted());
    }

    @Test
    void withoutAMarkerNothingWasAbsorbed() {
        List<SstView> l0 = List.of(view(3), view(2));
        assertEquals(l0, ManifestMerge.withoutAbsorbed(l0, null));
        assertEquals(l0, ManifestMerge.withoutAbsorbed(l0, view(9).id()));
        assertEquals(List.of(), ManifestMerge.withoutAbsorbed(l0, l0.get(0).id()));
    }

    @Test
    void cloneSourcesKeepOnlySstsStillReferenced() {
        SstView kept = view(1);
        SstView gone = view(2);
        ExternalDb parent = new ExternalDb("parent", new UUID(1, 1), new UUID(2, 2),
                List.of(kept.sst().id(), gone.sst().id()));
        Manifest manifest = new Manifest(List.of(parent), ManifestCore.initial().toBuilder()
                .tree(new LsmTree(null, null, List.of(kept), List.of())).build(), 1, 0);
        Manifest pruned = ManifestMerge.pruneExternalSstIds(manifest);
        assertEquals(List.of(kept.sst().id()), pruned.externalDbs().get(0).sstIds());
        assertEquals("parent", pruned.externalDbs().get(0).path());
    }
}
