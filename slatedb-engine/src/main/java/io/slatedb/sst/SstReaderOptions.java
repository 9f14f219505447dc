package io.slatedb.sst;

import java.util.Objects;

/**
 * How {@link SstReader} reads an object.
 *
 * @param initialReadSize  bytes of the object's tail read when opening (at least 16); one read this
 *                         size usually covers footer, info, index and stats, and covers small SSTs
 *                         (typical WAL SSTs) completely, in which case no further read is made
 * @param readAheadBlocks  data blocks fetched per read while iterating (point lookups fetch one)
 * @param blockLoader      where decoded data blocks come from (a cache, or {@link BlockLoader#direct()})
 */
public record SstReaderOptions(int initialReadSize, int readAheadBlocks, BlockLoader blockLoader) {

    /** 64 KiB initial read, 4 blocks of read-ahead, no cache. */
    public static final SstReaderOptions DEFAULTS = new SstReaderOptions(64 * 1024, 4, BlockLoader.direct());

    public SstReaderOptions {
        if (initialReadSize < 16) {
            throw new IllegalArgumentException("initial read size must be at least 16 bytes: " + initialReadSize);
        }
        if (readAheadBlocks < 1) {
            throw new IllegalArgumentException("read-ahead must be at least one block: " + readAheadBlocks);
        }
        Objects.requireNonNull(blockLoader, "blockLoader");
    }

    public SstReaderOptions withInitialReadSize(int size) {
        return new SstReaderOptions(size, readAheadBlocks, blockLoader);
    }

    public SstReaderOptions withReadAheadBlocks(int blocks) {
        return new SstReaderOptions(initialReadSize, blocks, blockLoader);
    }

    public SstReaderOptions withBlockLoader(BlockLoader loader) {
        return new SstReaderOptions(initialReadSize, readAheadBlocks, loader);
    }
}
