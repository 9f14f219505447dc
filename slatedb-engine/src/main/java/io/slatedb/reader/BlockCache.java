package io.slatedb.reader;

import io.slatedb.sst.Block;
import io.slatedb.sst.BlockKey;

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

    /** The cached block, or null; counts a hit or a miss. */
    Block get(BlockKey key) {
        Block block = caches.block(new SstCaches.Key(scope, key));
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
     * The cached block, or null; counts a hit, but no miss: for callers that then {@link #get} the
     * block again, which counts the miss.
     */
    Block getIfHit(BlockKey key) {
        Block block = caches.block(new SstCaches.Key(scope, key));
        if (block != null) {
            counters.hit();
            caches.blockCounters().hit();
        }
        return block;
    }

    void put(BlockKey key, Block block) {
        caches.putBlock(new SstCaches.Key(scope, key), block);
    }

    /** Whether the block is cached, without counting a lookup. */
    boolean contains(BlockKey key) {
        return caches.block(new SstCaches.Key(scope, key)) != null;
    }

    CacheCounters counters() {
        return counters;
    }
}
