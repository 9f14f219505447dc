package io.slatedb.reader;

import io.slatedb.DurabilityLevel;

/**
 * Where a handle's reads start: the writer's current view at its committed (or, dirty, its last)
 * sequence number, or a reader's replayed state at its durable sequence number.
 */
@FunctionalInterface
public interface ReadPoints {
    /**
     * The point a read with these options starts from.
     *
     * @param durability the read's durability filter
     * @param dirty      whether the read also sees applied but uncommitted writes
     */
    ReadPoint current(DurabilityLevel durability, boolean dirty);
}
