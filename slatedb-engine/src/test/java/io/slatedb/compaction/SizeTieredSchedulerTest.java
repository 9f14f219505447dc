package io.slatedb.compaction;

import io.slatedb.CompactorOptions;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SizeTieredSchedulerTest {
    private static final CompactorOptions OPTIONS = CompactorOptions.DEFAULT; // 4..8 sources, threshold 4, 4 at once
    private long nextId = 1;

    private SstView sst(long size) {
        SstInfo info = new SstInfo(new byte[]{'a'}, size, 0, 0, 0, CompressionCodec.NONE, SstType.COMPACTED,
                new byte[]{'z'}, 0, 0, FilterFormat.COMPOSITE);
        return SstView.of(new CompactedSst(Ulid.of(1_000 + nextId++, 0, 0), info, 1));
    }

    /** L0 views, newest first, each of {@code size} bytes. */
    private List<SstView> l0(int count, long size) {
        List<SstView> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            views.add(0, sst(size)); // minted oldest first, listed newest first
        }
        return views;
    }

    private SortedRun run(long id, long size) {
        return new SortedRun(id, List.of(sst(size)));
    }

    private static LsmTree tree(List<SstView> l0, SortedRun... runs) {
        return new LsmTree(null, null, l0, List.of(runs));
    }

    @Test
    void fewerL0sThanTheMinimumWaitForMore() {
        assertEquals(List.of(), new SizeTieredScheduler(OPTIONS).schedule(tree(l0(3, 100)), List.of()));
    }

    @Test
    void enoughL0sBecomeTheFirstSortedRunWithIdZero() {
        List<SstView> l0 = l0(4, 100);
        List<CompactionSpec> specs = new SizeTieredScheduler(OPTIONS).schedule(tree(l0), List.of());
        assertEquals(1, specs.size());
        assertEquals(l0, specs.get(0).l0());
        assertEquals(0, specs.get(0).destination());
        assertEquals(List.of(), specs.get(0).sortedRuns());
    }

    @Test
    void moreL0sThanTheMaximumCompactTheOldestIntoAFreshRunAboveEveryOther() {
        List<SstView> l0 = l0(11, 100);
        List<CompactionSpec> specs = new SizeTieredScheduler(OPTIONS).schedule(tree(l0, run(7, 10_000), run(3, 90_000)),
                List.of());
        assertEquals(1, specs.size());
        assertEquals(l0.subList(3, 11), specs.get(0).l0(), "the 8 oldest, newest first");
        assertEquals(8, specs.get(0).destination());
    }

    @Test
    void aFreshRunIdIsAlsoAboveTheDestinationsOfRunningCompactions() {
        SizeTieredScheduler scheduler = new SizeTieredScheduler(OPTIONS);
        CompactionSpec running = new CompactionSpec(l0(4, 100), List.of(), 5);
        LsmTree tree = tree(l0(4, 100), run(2, 100));
        List<CompactionSpec> specs = scheduler.schedule(tree, List.of(running));
        assertEquals(1, specs.size());
        assertEquals(6, specs.get(0).destination());
    }

    @Test
    void l0InARunningCompactionIsNotCompactedAgain() {
        List<SstView> l0 = l0(5, 100);
        CompactionSpec running = new CompactionSpec(l0.subList(1, 5), List.of(), 0);
        assertEquals(List.of(), new SizeTieredScheduler(OPTIONS).schedule(tree(l0), List.of(running)));
    }

    @Test
    void similarSizedRunsMergeIntoTheOldestOfThem() {
        SortedRun r9 = run(9, 100);
        SortedRun r8 = run(8, 120);
        SortedRun r7 = run(7, 300);
        SortedRun r6 = run(6, 390);
        SortedRun r5 = run(5, 100_000); // more than 4 x the smallest: not in the series
        List<CompactionSpec> specs = new SizeTieredScheduler(OPTIONS).schedule(tree(List.of(), r9, r8, r7, r6, r5),
                List.of());
        assertEquals(1, specs.size());
        assertEquals(List.of(9L, 8L, 7L, 6L), specs.get(0).sortedRunIds());
        assertEquals(6, specs.get(0).destination());
        assertTrue(specs.get(0).l0().isEmpty());
    }

    @Test
    void aSeriesShorterThanTheMinimumIsLeftAlone() {
        assertEquals(List.of(), new SizeTieredScheduler(OPTIONS).schedule(
                tree(List.of(), run(3, 100), run(2, 100), run(1, 100_000), run(0, 100)), List.of()));
    }

    @Test
    void aSeriesIsCappedAtTheMaximumSources() {
        List<SortedRun> runs = new ArrayList<>();
        for (long id = 11; id >= 0; id--) {
            runs.add(run(id, 100));
        }
        List<CompactionSpec> specs = new SizeTieredScheduler(OPTIONS).schedule(
                new LsmTree(null, null, List.of(), runs), List.of());
        assertEquals(List.of(11L, 10L, 9L, 8L, 7L, 6L, 5L, 4L), specs.get(0).sortedRunIds());
        assertEquals(4, specs.get(0).destination());
        assertEquals(List.of(3L, 2L, 1L, 0L), specs.get(1).sortedRunIds(), "the 4 runs left make a series too");
    }

    @Test
    void l0WaitsWhileTheRunsItWouldJoinAreAlreadyAFullSeriesInCompaction() {
        List<SortedRun> runs = new ArrayList<>();
        for (long id = 7; id >= 0; id--) {
            runs.add(run(id, 100));
        }
        CompactionSpec merging = new CompactionSpec(List.of(), runs, 0);
        List<CompactionSpec> specs = new SizeTieredScheduler(OPTIONS).schedule(
                new LsmTree(null, null, l0(4, 100), runs), List.of(merging));
        assertEquals(List.of(), specs, "backpressure: the full series is merged first");
    }

    @Test
    void atMostMaxConcurrentCompactionsRun() {
        CompactorOptions one = CompactorOptions.builder().maxConcurrentCompactions(1).build();
        CompactionSpec running = new CompactionSpec(List.of(), List.of(run(100, 1)), 100);
        assertEquals(List.of(), new SizeTieredScheduler(one).schedule(tree(l0(8, 100)), List.of(running)));
    }

    @Test
    void l0AndRunMergesAreScheduledTogether() {
        List<CompactionSpec> specs = new SizeTieredScheduler(OPTIONS).schedule(
                tree(l0(4, 100), run(4, 50_000), run(3, 50_000), run(2, 50_000), run(1, 50_000)), List.of());
        assertEquals(2, specs.size());
        assertEquals(5, specs.get(0).destination());
        assertEquals(List.of(4L, 3L, 2L, 1L), specs.get(1).sortedRunIds());
    }
}
