package io.slatedb.reader;

import io.slatedb.sst.BlockLoader;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowIterator;
import io.slatedb.sst.SstIndex;
import io.slatedb.sst.SstLayout;
import io.slatedb.sst.SstReader;
import io.slatedb.sst.SstReaderOptions;

import java.util.concurrent.CompletableFuture;

/**
 * An opened compacted SST as the metadata cache holds it: one reader whose block loader fills the
 * data block cache and one that only reads from it, sharing the SST's info, index and bloom filter.
 */
public final class SstHandle {
    /** The scope of the table store that opened it, whose block cache its readers use. */
    private final long scope;
    private final SstReader caching;
    private final SstReader nonCaching;
    /** This handle as a completed future, so cache hits allocate nothing. */
    private final CompletableFuture<SstHandle> asFuture;

    SstHandle(long scope, SstReader caching, SstReader nonCaching) {
        this.scope = scope;
        this.caching = caching;
        this.nonCaching = nonCaching;
        this.asFuture = CompletableFuture.completedFuture(this);
    }

    long scope() {
        return scope;
    }

    CompletableFuture<SstHandle> asFuture() {
        return asFuture;
    }

    /** A reader for point lookups: its blocks come from the cache, and go into it when {@code cacheBlocks}. */
    public SstReader reader(boolean cacheBlocks) {
        return cacheBlocks ? caching : nonCaching;
    }

    public SstLayout layout() {
        return caching.layout();
    }

    /** The path of the SST object. */
    public String path() {
        return caching.path();
    }

    /** What the metadata cache weighs this handle at. */
    long retainedBytes() {
        return caching.retainedBytes();
    }

    /**
     * The rows in {@code range}, read with the scan's read-ahead (its bytes rounded up to whole blocks
     * of this SST's average block size) and up to {@code maxFetchTasks} reads in flight.
     */
    public RowIterator scan(KeyRange range, ScanParams params) {
        SstReader base = reader(params.cacheBlocks());
        SstReaderOptions options = base.options().withReadAheadBlocks(readAheadBlocks(params.readAheadBytes()));
        if (params.maxFetchTasks() > 1) {
            BlockLoader prefetching = new PrefetchingBlockLoader(options.blockLoader(), params.maxFetchTasks(),
                    endBlock(range));
            options = options.withBlockLoader(prefetching);
        }
        return base.withOptions(options).scan(range);
    }

    /** {@code bytes} as whole blocks of this SST, at least one. */
    int readAheadBlocks(long bytes) {
        SstLayout layout = layout();
        int blocks = layout.blockCount();
        if (blocks == 0 || bytes <= 1) {
            return 1;
        }
        long averageBlock = Math.max(1, layout.dataEnd() / blocks);
        long wanted = (bytes + averageBlock - 1) / averageBlock;
        return (int) Math.max(1, Math.min(blocks, wanted));
    }

    /** The block after the last one a scan of {@code range} can read. */
    private int endBlock(KeyRange range) {
        SstIndex index = layout().index();
        if (range.end() == null) {
            return index.blockCount();
        }
        int from = range.start() == null ? 0 : index.startBlockFor(range.start());
        return index.endBlockFor(range.end(), range.endInclusive(), from);
    }

    @Override
    public String toString() {
        return "SstHandle[" + path() + "]";
    }
}
