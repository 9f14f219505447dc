package io.slatedb;

/**
 * How durable the data a read may return must be. Used as the {@code durabilityFilter} of
 * {@link ReadOptions} and {@link ScanOptions}.
 */
public enum DurabilityLevel {
    /**
     * Everything committed, including writes that are so far only in memory (the memtable and
     * unflushed write-ahead-log buffers). SlateDB's default.
     */
    MEMORY,
    /** Only writes that are durable in object storage; writes still waiting for a WAL flush are hidden. */
    REMOTE
}
