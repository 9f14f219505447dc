package io.slatedb.reader;

import io.slatedb.sst.Block;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The data blocks of one opened SST that the data block cache holds, by block number: a table in front
 * of the cache, so a read of a cached block finds it with one array load instead of a keyed lookup.
 * It holds only what the cache holds (the cache clears a slot when it evicts or drops the block, and a
 * block is placed here only while the cache has it), so the cache's byte bound still bounds the memory
 * blocks take. Thread-safe.
 */
final class BlockSlots {
    private final AtomicReferenceArray<Block> blocks;

    BlockSlots(int blockCount) {
        this.blocks = new AtomicReferenceArray<>(blockCount);
    }

    /** Block {@code i} if it is here, or null. */
    Block get(int i) {
        return blocks.get(i);
    }

    /** Places block {@code i} here; only while the cache's lock on the block's key is held. */
    void set(int i, Block block) {
        blocks.set(i, block);
    }

    /** Removes block {@code i} if it is {@code block} (a newer load of the same block stays). */
    void clear(int i, Block block) {
        blocks.compareAndSet(i, block, null);
    }
}
