package io.slatedb;

/**
 * The WAL files a database still stores: the oldest and the newest id (unsigned, held in longs). Ids
 * in between may include files the garbage collector has not reached yet; a change feed can start at
 * any id from {@code oldestWalId} on. Files are collected from the oldest end.
 *
 * @param oldestWalId the lowest stored WAL id
 * @param newestWalId the highest stored WAL id; at least {@code oldestWalId}
 */
public record WalRange(long oldestWalId, long newestWalId) {

    /** @throws IllegalArgumentException when the newest id is below the oldest */
    public WalRange {
        if (Long.compareUnsigned(newestWalId, oldestWalId) < 0) {
            throw new IllegalArgumentException("the newest WAL id " + Long.toUnsignedString(newestWalId)
                    + " is below the oldest " + Long.toUnsignedString(oldestWalId));
        }
    }

    /** Whether WAL file {@code walId} lies within the range. */
    public boolean contains(long walId) {
        return Long.compareUnsigned(walId, oldestWalId) >= 0 && Long.compareUnsigned(walId, newestWalId) <= 0;
    }
}
