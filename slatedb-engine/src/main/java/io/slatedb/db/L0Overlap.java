package io.slatedb.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How many L0 SSTs a point read may have to look at: the largest number of key ranges that share a
 * key. SlateDB holds memtable flushes back while it would reach {@code l0_max_ssts_per_key}, since
 * every overlapping L0 SST costs each read there a filter probe or a block read.
 */
final class L0Overlap {

    /**
     * A closed key range; {@code last} null means unbounded above (an SST whose last key is not
     * recorded).
     */
    record Range(byte[] first, byte[] last) {
    }

    private L0Overlap() {
    }

    /** The largest number of {@code ranges} that contain one key. */
    static int peak(List<Range> ranges) {
        // Sweep: starts sort before ends at the same key, since ranges are closed.
        record Edge(byte[] key, boolean start) {
        }
        List<Edge> edges = new ArrayList<>(ranges.size() * 2);
        for (Range range : ranges) {
            edges.add(new Edge(range.first(), true));
            if (range.last() != null) {
                edges.add(new Edge(range.last(), false));
            }
        }
        edges.sort(Comparator.<Edge, byte[]>comparing(Edge::key, Arrays::compareUnsigned)
                .thenComparing(edge -> !edge.start()));
        int open = 0;
        int peak = 0;
        for (Edge edge : edges) {
            open += edge.start() ? 1 : -1;
            peak = Math.max(peak, open);
        }
        return peak;
    }
}
