package io.slatedb;

import java.util.Objects;

/**
 * Options of a range scan. {@link #DEFAULT} holds SlateDB's defaults; build others with
 * {@link #builder()}. Scans always run in ascending key order.
 *
 * @param durabilityFilter how durable returned data must be; default {@link DurabilityLevel#MEMORY}
 * @param dirty            whether to also return writes that are applied but not yet committed;
 *                         default false
 * @param readAheadBytes   how many bytes of an SST to fetch per request; rounded up to whole
 *                         blocks, so the default 1 fetches one block at a time. At least 1.
 * @param cacheBlocks      whether data blocks fetched by the scan go into the block cache; default
 *                         false, so a large scan does not evict the working set of point reads
 * @param maxFetchTasks    how many fetches of one SST may run ahead of the scan concurrently;
 *                         default 1. At least 1.
 */
public record ScanOptions(DurabilityLevel durabilityFilter, boolean dirty, long readAheadBytes, boolean cacheBlocks,
                          int maxFetchTasks) {

    /**
     * SlateDB's defaults: {@link DurabilityLevel#MEMORY}, not dirty, read ahead 1 byte (one block),
     * do not cache blocks, one fetch task.
     */
    public static final ScanOptions DEFAULT = new ScanOptions(DurabilityLevel.MEMORY, false, 1, false, 1);

    /** @throws SlateDbException of kind {@link ErrorKind#INVALID} when a count is below 1 */
    public ScanOptions {
        Objects.requireNonNull(durabilityFilter, "durabilityFilter");
        if (readAheadBytes < 1) {
            throw new SlateDbException(ErrorKind.INVALID, "read_ahead_bytes must be at least 1, got " + readAheadBytes);
        }
        if (maxFetchTasks < 1) {
            throw new SlateDbException(ErrorKind.INVALID, "max_fetch_tasks must be at least 1, got " + maxFetchTasks);
        }
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link ScanOptions}. Not thread-safe. */
    public static final class Builder {
        private DurabilityLevel durabilityFilter;
        private boolean dirty;
        private long readAheadBytes;
        private boolean cacheBlocks;
        private int maxFetchTasks;

        private Builder(ScanOptions from) {
            durabilityFilter = from.durabilityFilter;
            dirty = from.dirty;
            readAheadBytes = from.readAheadBytes;
            cacheBlocks = from.cacheBlocks;
            maxFetchTasks = from.maxFetchTasks;
        }

        /** Sets {@link ScanOptions#durabilityFilter()}. */
        public Builder durabilityFilter(DurabilityLevel durabilityFilter) {
            this.durabilityFilter = Objects.requireNonNull(durabilityFilter, "durabilityFilter");
            return this;
        }

        /** Sets {@link ScanOptions#dirty()}. */
        public Builder dirty(boolean dirty) {
            this.dirty = dirty;
            return this;
        }

        /** Sets {@link ScanOptions#readAheadBytes()}. */
        public Builder readAheadBytes(long readAheadBytes) {
            this.readAheadBytes = readAheadBytes;
            return this;
        }

        /** Sets {@link ScanOptions#cacheBlocks()}. */
        public Builder cacheBlocks(boolean cacheBlocks) {
            this.cacheBlocks = cacheBlocks;
            return this;
        }

        /** Sets {@link ScanOptions#maxFetchTasks()}. */
        public Builder maxFetchTasks(int maxFetchTasks) {
            this.maxFetchTasks = maxFetchTasks;
            return this;
        }

        /** @throws SlateDbException of kind {@link ErrorKind#INVALID} when a count is below 1 */
        public ScanOptions build() {
            return new ScanOptions(durabilityFilter, dirty, readAheadBytes, cacheBlocks, maxFetchTasks);
        }
    }
}
