package io.slatedb.compaction;

import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class CompactionExecutorTest {
    private static SstView sst(long id, String first, String last) {
        SstInfo info = new SstInfo(first.getBytes(), 100, 0, 0, 0, CompressionCodec.NONE, SstType.COMPACTED,
                last.getBytes(), 0, 0, FilterFormat.COMPOSITE);
        return SstView.of(new CompactedSst(Ulid.of(id, 0, id), info, 1));
    }

    @Test
    void disjointSourcesAreMovedInKeyOrderAndOverlappingOnesAreNot() {
        SstView ab = sst(1, "a", "b");
        SstView cd = sst(2, "c", "d");
        SstView ef = sst(3, "e", "f");
        assertEquals(List.of(ab, cd, ef), CompactionExecutor.disjoint(
                new CompactionSpec(List.of(ef, ab), List.of(new SortedRun(4, List.of(cd))), 4)));
        assertNull(CompactionExecutor.disjoint(new CompactionSpec(List.of(sst(5, "a", "c"), cd), List.of(), 0)));
        assertNull(CompactionExecutor.disjoint(new CompactionSpec(List.of(sst(6, "b", "c"), sst(7, "c", "c")),
                List.of(), 0)), "a shared boundary key overlaps");
    }

    @Test
    void tombstonesGoOnlyWhenNoOlderRunIsLeftOutsideTheCompaction() {
        SortedRun r5 = new SortedRun(5, List.of(sst(1, "a", "b")));
        SortedRun r3 = new SortedRun(3, List.of(sst(2, "a", "b")));
        SortedRun r1 = new SortedRun(1, List.of(sst(3, "a", "b")));
        LsmTree tree = new LsmTree(null, null, List.of(), List.of(r5, r3, r1));
        assertTrue(CompactionExecutor.isOldest(tree, new CompactionSpec(List.of(), List.of(r3, r1), 1)));
        assertFalse(CompactionExecutor.isOldest(tree, new CompactionSpec(List.of(), List.of(r5, r3), 3)));
        assertFalse(CompactionExecutor.isOldest(tree, new CompactionSpec(List.of(sst(9, "a", "b")), List.of(), 6)));
        assertTrue(CompactionExecutor.isOldest(new LsmTree(null, null, List.of(), List.of()),
                new CompactionSpec(List.of(sst(9, "a", "b")), List.of(), 0)));
    }

    @Test
    void aCommitReplacesTheSourcesByTheRunAndMovesTheMarkerToTheNewestL0Source() {
        SstView a = sst(1, "a", "b"), b = sst(2, "a", "b"), c = sst(3, "a", "b");
        SortedRun r2 = new SortedRun(2, List.of(sst(4, "a", "z")));
        SortedRun r0 = new SortedRun(0, List.of(sst(5, "a", "z")));
        Manifest before = new Manifest(List.of(), ManifestCore.initial().toBuilder()
                .tree(new LsmTree(null, null, List.of(c, b, a), List.of(r2, r0))).build(), 1, 1);
        SortedRun output = new SortedRun(3, List.of(sst(6, "a", "b")));
        Manifest after = CompactionResult.apply(before, new CompactionSpec(List.of(b, a), List.of(), 3), output);
        assertEquals(List.of(c), after.core().l0());
        assertEquals(List.of(output, r2, r0), after.core().compacted());
        assertEquals(b.id(), after.core().tree().lastCompactedL0ViewId());

        SortedRun merged = new SortedRun(0, List.of(sst(7, "a", "z")));
        Manifest later = CompactionResult.apply(after, new CompactionSpec(List.of(), List.of(r2, r0), 0), merged);
        assertEquals(List.of(output, merged), later.core().compacted());
        assertEquals(b.id(), later.core().tree().lastCompactedL0ViewId(), "a run merge leaves the marker");
        Manifest emptied = CompactionResult.apply(later, new CompactionSpec(List.of(), List.of(output, merged), 0),
                new SortedRun(0, List.of()));
        assertEquals(List.of(), emptied.core().compacted(), "an empty output lists no run");
    }
}
