package io.slatedb.manifest;

import java.util.List;

/**
 * A sorted run: SSTs whose key ranges don't overlap, in key order.
 *
 * @param id   the run's id, an unsigned 32-bit value (0 to 2^32 - 1); higher ids hold newer data
 * @param ssts the run's SSTs in key order
 */
public record SortedRun(long id, List<SstView> ssts) {

    public SortedRun {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sorted run id is a u32: " + id);
        }
        ssts = List.copyOf(ssts);
    }
}
