package io.slatedb.db;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class L0OverlapTest {
    private static L0Overlap.Range r(String first, String last) {
        return new L0Overlap.Range(first.getBytes(StandardCharsets.UTF_8),
                last == null ? null : last.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void disjointRangesPeakAtOne() {
        assertEquals(1, L0Overlap.peak(List.of(r("a", "b"), r("c", "d"), r("e", "f"))));
    }

    @Test
    void closedRangesTouchingAtAKeyOverlap() {
        assertEquals(2, L0Overlap.peak(List.of(r("a", "c"), r("c", "e"))));
    }

    @Test
    void nestedAndUnboundedRangesCount() {
        assertEquals(3, L0Overlap.peak(List.of(r("a", "z"), r("b", "y"), r("x", null), r("d", "e"))));
        assertEquals(2, L0Overlap.peak(List.of(r("a", "z"), r("b", "c"), r("x", null), r("d", "e"))));
        assertEquals(0, L0Overlap.peak(List.of()));
    }
}
