package io.slatedb.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.slatedb.sst.Block;
import io.slatedb.sst.BlockKey;

/**
 * Decoded data blocks of compacted SSTs, keyed by (SST path, block offset) and bounded by their
 * decoded size in bytes. SSTs are immutable and never rewritten under the same path, so entries never
 * go stale; the path includes the database root, so databases sharing a cache do not collide.
 */
final class BlockCache {
    /** The key, its path reference and the cache's own entry, beside the block's bytes. */
    private static final int ENTRY_OVERHEAD_BYTES = 96;

    private final Cache<BlockKey, Block> blocks;
    private final CacheCounters counters = new CacheCounters();

    BlockCache(long maxBytes) {
        this.blocks = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((BlockKey key, Block block) -> block.sizeInBytes() + ENTRY_OVERHEAD_BYTES)
                .build();
    }

    /** The cached block, or null; counts a hit or a miss. */
    Block get(BlockKey key) {
        Block block = blocks.getIfPresent(key);
        if (block != null) {
            counters.hit();
        } else {
            counters.miss();
        }
        return block;
    }

    /**
     * The cached block, or null; counts a hit, but no miss: for callers that then {@link #get} the
     * block again, which counts the miss.
     */
    Block getIfHit(BlockKey key) {
        Block block = blocks.getIfPresent(key);
        if (block != null) {
            counters.hit();
        }
        return block;
    }

    void put(BlockKey key, Block block) {
        blocks.put(key, block);
    }

    /** Whether the block is cached, without counting a lookup. */
    boolean contains(BlockKey key) {
        return blocks.getIfPresent(key) != null;
    }

    CacheCounters counters() {
        return counters;
    }

    /** About how many blocks are cached (after pending evictions run). */
    long size() {
        blocks.cleanUp();
        return blocks.estimatedSize();
    }
}
