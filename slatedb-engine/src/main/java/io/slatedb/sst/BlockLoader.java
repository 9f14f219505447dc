package io.slatedb.sst;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Loads decoded data blocks of an SST. The default, {@link #direct()}, reads the blocks' bytes in one
 * ranged read and decodes them. A block cache slots in as a loader that looks blocks up by
 * {@link BlockKey} ({@code (sst.path(), sst.blockStart(i))}) and delegates the misses to another loader.
 */
@FunctionalInterface
public interface BlockLoader {
    /**
     * The decoded blocks {@code [fromBlock, toBlock)} of {@code sst}, read through {@code source}.
     * Fails with {@link io.slatedb.CorruptObjectException} when a block does not decode.
     */
    CompletableFuture<List<Block>> load(SstLayout sst, RangeReader source, int fromBlock, int toBlock);

    /**
     * Block {@code i} of {@code sst} when this loader has it at hand (decoded, in memory), or null; a
     * null answer counts for nothing, as the {@link #load} that follows does. Lets point reads served
     * from a cache run without futures. By default nothing is at hand.
     */
    default Block cached(SstLayout sst, int i) {
        return null;
    }

    /** The loader that reads and decodes every block it is asked for. */
    static BlockLoader direct() {
        return DirectBlockLoader.INSTANCE;
    }
}
