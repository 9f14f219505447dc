package io.slatedb.reader;

/**
 * How a scan reads SSTs.
 *
 * @param cacheBlocks    whether data blocks the scan loads are added to the block cache
 * @param readAheadBytes how many bytes of blocks each SST read fetches, rounded up to whole blocks;
 *                       1 means one block per read
 * @param maxFetchTasks  how many block reads each SST iterator keeps in flight, at least 1
 */
public record ScanParams(boolean cacheBlocks, long readAheadBytes, int maxFetchTasks) {
    /** SlateDB's {@code ScanOptions} defaults: no caching, one block per read, one read at a time. */
    public static final ScanParams DEFAULTS = new ScanParams(false, 1, 1);

    public ScanParams {
        if (readAheadBytes < 1) {
            throw new IllegalArgumentException("read-ahead must be at least 1 byte: " + readAheadBytes);
        }
        if (maxFetchTasks < 1) {
            throw new IllegalArgumentException("max fetch tasks must be at least 1: " + maxFetchTasks);
        }
    }

    public ScanParams withCacheBlocks(boolean cache) {
        return new ScanParams(cache, readAheadBytes, maxFetchTasks);
    }

    public ScanParams withReadAheadBytes(long bytes) {
        return new ScanParams(cacheBlocks, bytes, maxFetchTasks);
    }

    public ScanParams withMaxFetchTasks(int tasks) {
        return new ScanParams(cacheBlocks, readAheadBytes, tasks);
    }
}
