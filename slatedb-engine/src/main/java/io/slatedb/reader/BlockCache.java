package io.slatedb.reader;

import io.slatedb.sst.Block;
import io.slatedb.sst.SstLayout;

/**
 * One table store's view of the data block cache in {@link SstCaches}: decoded data blocks of
 * compacted SSTs keyed by (SST path, block offset) within the table store's scope. SSTs are immutable
 * and never rewritten under the same path, so entries never go stale. Counts its own hits and misses
 * and the shared totals.
 */
final class BlockCache {
    private final SstCaches caches;
    private final long scope;
    private final CacheCounters counters = new CacheCounters();

    BlockCache(SstCaches caches, long scope) {
        this.caches = caches;
        this.scope = scope;
    }

    /** Block {@code i} of {@code sst} if cached, or null; counts a hit or a miss. */
    Block get(SstLayout sst, int i) {
        Block block = caches.block(id(sst, i));
        if (block != null) {
            counters.hit();
            caches.blockCounters().hit();
        } else {
            counters.miss();
            caches.blockCounters().miss();
        }
        return block;
    }

    /**
     * Block {@code i} of {@code sst} if cached, or null; counts a hit, but no miss: for callers that
     * then {@link #get} the block again, which counts the miss.
     */
    Block getIfHit(SstLayout sst, int i) {
        Block block = caches.block(id(sst, i));
        if (block != null) {
            counters.hit();
            caches.blockCounters().hit();
        }
        return block;
    }

    void put(SstLayout sst, int i, Block block) {
        caches.putBlock(id(sst, i), block);
    }

    private SstCaches.BlockId id(SstLayout sst, int i) {
        return new SstCaches.BlockId(scope, sst.path(), sst.blockStart(i));
    }

    CacheCounters counters() {
        return counters;
    }
}
