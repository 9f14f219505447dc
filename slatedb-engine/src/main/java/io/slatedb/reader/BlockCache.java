package io.slatedb.reader;

import io.slatedb.sst.Block;
import io.slatedb.sst.SstLayout;

/**
 * One table store's view of the data block cache in {@link SstCaches}: decoded data blocks of
 * compacted SSTs keyed by (SST path, block offset) within the table store's scope, with each opened
 * SST's {@link BlockSlots} in front. SSTs are immutable and never rewritten under the same path, so
 * entries never go stale. Counts its own hits and misses
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

    /**
     * Block {@code i} of {@code sst}, whose slots are {@code slots}, if cached, or null; counts a hit or a
     * miss.
     */
    Block get(SstLayout sst, int i, BlockSlots slots) {
        Block block = lookup(sst, i, slots);
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
    Block getIfHit(SstLayout sst, int i, BlockSlots slots) {
        Block block = lookup(sst, i, slots);
        if (block != null) {
            counters.hit();
            caches.blockCounters().hit();
        }
        return block;
    }

    void put(SstLayout sst, int i, BlockSlots slots, Block block) {
        SstCaches.BlockId id = id(sst, i, slots);
        caches.putBlock(id, block);
        caches.slotIfCached(id, block);
    }

    /** The block from the SST's slots, else from the cache (and then placed in the slots). */
    private Block lookup(SstLayout sst, int i, BlockSlots slots) {
        Block front = slots.get(i);
        if (front != null) {
            // Some uses are shown to the cache, so that its policy still tells the blocks in use from the rest.
            if (SstCaches.touchNow()) {
                caches.block(id(sst, i, slots));
            }
            return front;
        }
        SstCaches.BlockId id = id(sst, i, slots);
        Block block = caches.block(id);
        if (block != null) {
            caches.slotIfCached(id, block);
        }
        return block;
    }

    private SstCaches.BlockId id(SstLayout sst, int i, BlockSlots slots) {
        return new SstCaches.BlockId(scope, sst.path(), sst.blockStart(i), slots, i);
    }

    CacheCounters counters() {
        return counters;
    }
}
