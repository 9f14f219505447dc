package io.slatedb.reader;

import io.slatedb.sst.Block;
import io.slatedb.sst.BlockLoader;
import io.slatedb.sst.RangeReader;
import io.slatedb.sst.SstLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the data blocks of one opened SST from a {@link BlockCache} and loads the rest through another loader, one ranged
 * read per run of consecutive missing blocks. Whether loaded blocks are added to the cache is fixed
 * per loader, which is how the per-read {@code cacheBlocks} flag is honoured: reads that must not
 * fill the cache still use what is in it.
 */
final class CachingBlockLoader implements BlockLoader {
    private final BlockCache cache;
    private final BlockLoader misses;
    private final boolean populate;
    private final BlockSlots slots;

    /** @param slots the cached blocks of the one SST this loader serves */
    CachingBlockLoader(BlockCache cache, BlockLoader misses, boolean populate, BlockSlots slots) {
        this.cache = cache;
        this.misses = misses;
        this.populate = populate;
        this.slots = slots;
    }

    /** The slots of the SST this loader serves. */
    BlockSlots slots() {
        return slots;
    }

    @Override
    public Block cached(SstLayout sst, int i) {
        return cache.getIfHit(sst, i, slots);
    }

    @Override
    public CompletableFuture<List<Block>> load(SstLayout sst, RangeReader source, int fromBlock, int toBlock) {
        Block[] blocks = new Block[toBlock - fromBlock];
        boolean allCached = true;
        for (int i = fromBlock; i < toBlock; i++) {
            blocks[i - fromBlock] = cache.get(sst, i, slots);
            allCached &= blocks[i - fromBlock] != null;
        }
        if (allCached) {
            return CompletableFuture.completedFuture(Arrays.asList(blocks));
        }
        List<CompletableFuture<Void>> loads = new ArrayList<>(1);
        int i = fromBlock;
        while (i < toBlock) {
            if (blocks[i - fromBlock] != null) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < toBlock && blocks[i - fromBlock] == null) {
                i++;
            }
            loads.add(loadRun(sst, source, runStart, i, blocks, fromBlock));
        }
        CompletableFuture<Void> all = loads.size() == 1
                ? loads.get(0) : CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
        return all.thenApply(unused -> Arrays.asList(blocks));
    }

    private CompletableFuture<Void> loadRun(SstLayout sst, RangeReader source, int from, int to, Block[] into,
                                            int offset) {
        return misses.load(sst, source, from, to).thenAccept(loaded -> {
            for (int j = 0; j < loaded.size(); j++) {
                Block block = loaded.get(j);
                into[from + j - offset] = block;
                if (populate) {
                    cache.put(sst, from + j, slots, block);
                }
            }
        });
    }
}
