package io.slatedb.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.slatedb.sst.Block;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data block cache and the SST metadata cache, each bounded by bytes, for any number of
 * {@link TableStore}s: one per table store when a handle runs alone, one for a whole process when
 * handles share resources. Every entry is keyed by its table store's scope as well as by its object
 * path: paths alone could collide (two stores holding a database at the same path, a clone reading its
 * parent's SSTs), and a scope is never shared between table stores, so no table store ever sees
 * another's entries. The price: two handles reading one SST cache it twice. A closed table store drops
 * its entries at once rather than leave them to age out. Thread-safe.
 */
public final class SstCaches {
    /** The key, the cache's own entry and the block's slot in its SST's {@link BlockSlots}, beside its bytes. */
    private static final int BLOCK_ENTRY_OVERHEAD_BYTES = 96;

    /**
     * One read in this many served in front of a cache (an SST's block slots, a table record's matched
     * SST) is also a lookup in the cache, so that its eviction policy still tells entries in use.
     */
    private static final int TOUCH_ONE_IN = 8;

    /** Whether this read, served in front of a cache, should also be shown to the cache. */
    static boolean touchNow() {
        return ThreadLocalRandom.current().nextInt(TOUCH_ONE_IN) == 0;
    }

    /** A metadata entry's key: the table store's scope and the SST's path. */
    record Key(long scope, String path) {
    }

    /**
     * A data block's key: the table store's scope, the SST's path and the block's offset in it, in one
     * object whose hash is computed once, since every cached block read builds one and looks it up.
     */
    static final class BlockId {
        private final long scope;
        private final String path;
        private final long offset;
        private final int hash;
        /** The slots of the opened SST the block belongs to, and its number there: not part of the identity. */
        private final BlockSlots slots;
        private final int index;

        BlockId(long scope, String path, long offset, BlockSlots slots, int index) {
            this.scope = scope;
            this.path = path;
            this.offset = offset;
            this.hash = (31 * Long.hashCode(scope) + path.hashCode()) * 31 + Long.hashCode(offset);
            this.slots = slots;
            this.index = index;
        }

        long scope() {
            return scope;
        }

        /** Places {@code block}, which the cache holds under this key, in its SST's slots. */
        void slot(Block block) {
            slots.set(index, block);
        }

        /** Takes {@code block}, which the cache no longer holds under this key, out of its SST's slots. */
        void forget(Block block) {
            slots.clear(index, block);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BlockId that && hash == that.hash && offset == that.offset
                    && scope == that.scope && path.equals(that.path);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "BlockId[scope=" + scope + ", path=" + path + ", offset=" + offset + "]";
        }
    }

    private final long blockCapacity;
    private final long metaCapacity;
    /** Null when the block budget is 0: blocks are then read straight from the store. */
    private final Cache<BlockId, Block> blocks;
    private final Cache<Key, SstHandle> handles;
    private final CacheCounters blockCounters = new CacheCounters();
    private final CacheCounters metaCounters = new CacheCounters();
    private final AtomicLong scopes = new AtomicLong();

    /**
     * @param blockBytes budget of the data block cache (decoded bytes); 0 disables it
     * @param metaBytes  budget of the metadata cache (opened SSTs)
     */
    public SstCaches(long blockBytes, long metaBytes) {
        if (blockBytes < 0 || metaBytes < 0) {
            throw new IllegalArgumentException("cache budgets must not be negative: " + blockBytes + ", " + metaBytes);
        }
        this.blockCapacity = blockBytes;
        this.metaCapacity = metaBytes;
        this.blocks = blockBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(blockBytes)
                .weigher((BlockId key, Block block) -> block.sizeInBytes() + BLOCK_ENTRY_OVERHEAD_BYTES)
                // Evictions run on the thread that adds the block (a miss, which just read it), not on
                // the common pool: a miss costs no hand-off, and no wait for a descheduled maintainer.
                .executor(Runnable::run)
                // Synchronous, with the eviction: a block leaves its SST's slots as it leaves the cache.
                .evictionListener((BlockId key, Block block, RemovalCause cause) -> {
                    if (key != null && block != null) {
                        key.forget(block);
                    }
                })
                .build();
        this.handles = Caffeine.newBuilder()
                .maximumWeight(metaBytes)
                .weigher((Key key, SstHandle handle) -> (int) Math.min(Integer.MAX_VALUE, handle.retainedBytes()))
                .build();
    }

    /** The data block cache's budget in bytes. */
    public long blockCapacityBytes() {
        return blockCapacity;
    }

    /** The metadata cache's budget in bytes. */
    public long metaCapacityBytes() {
        return metaCapacity;
    }

    /** Bytes the data block cache holds now, as it weighs them (after pending evictions run). */
    public long blockBytes() {
        if (blocks == null) {
            return 0;
        }
        blocks.cleanUp();
        return blocks.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Bytes the metadata cache holds now, as it weighs them (after pending evictions run). */
    public long metaBytes() {
        handles.cleanUp();
        return handles.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** About how many data blocks are cached. */
    public long blockCount() {
        if (blocks == null) {
            return 0;
        }
        blocks.cleanUp();
        return blocks.estimatedSize();
    }

    /** Whether the data block cache holds {@code block} itself (compared by identity; for tests). */
    boolean holdsBlock(Block block) {
        return blocks != null && blocks.asMap().values().stream().anyMatch(cached -> cached == block);
    }

    /** How many data blocks of {@code scope} are cached. */
    long blockCount(long scope) {
        return blocks == null ? 0 : blocks.asMap().keySet().stream().filter(key -> key.scope() == scope).count();
    }

    /** Data block cache hits and misses of every table store using these caches. */
    public CacheCounters blockCounters() {
        return blockCounters;
    }

    /** Metadata cache hits and misses of every table store using these caches. */
    public CacheCounters metaCounters() {
        return metaCounters;
    }

    boolean hasBlockCache() {
        return blocks != null;
    }

    long newScope() {
        return scopes.incrementAndGet();
    }

    Block block(BlockId key) {
        return blocks.getIfPresent(key);
    }

    void putBlock(BlockId key, Block block) {
        blocks.put(key, block);
    }

    /**
     * Places {@code block} in its SST's slots if the cache holds it under {@code key}. Atomic with the
     * cache's eviction of the key (both run under the key's lock), whose listener clears the slot: no
     * evicted block is left in a slot.
     */
    void slotIfCached(BlockId key, Block block) {
        blocks.asMap().computeIfPresent(key, (id, cached) -> {
            if (cached == block) {
                id.slot(block);
            }
            return cached;
        });
    }

    SstHandle handle(Key key) {
        return handles.getIfPresent(key);
    }

    void putHandle(Key key, SstHandle handle) {
        handles.put(key, handle);
    }

    /** Removes every entry of {@code scope}. */
    void dropScope(long scope) {
        if (blocks != null) {
            blocks.asMap().entrySet().removeIf(entry -> {
                if (entry.getKey().scope() != scope) {
                    return false;
                }
                entry.getKey().forget(entry.getValue());
                return true;
            });
        }
        handles.asMap().keySet().removeIf(key -> key.scope() == scope);
    }
}
