package io.slatedb.reader;

import io.slatedb.sst.Block;
import io.slatedb.sst.BlockLoader;
import io.slatedb.sst.RangeReader;
import io.slatedb.sst.SstLayout;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps up to {@code maxFetchTasks} block fetches of one SST scan in flight: when the scan asks for a
 * batch of blocks, the following batches (up to the scan's last block) are requested too, so their
 * reads overlap with the consumption of the current one. Made per scan; the scan asks for batches in
 * order and never concurrently, which is all the state here relies on.
 */
final class PrefetchingBlockLoader implements BlockLoader {
    private record Fetch(int from, int to, CompletableFuture<List<Block>> blocks) {
    }

    private final BlockLoader delegate;
    private final int maxFetchTasks;
    private final int endBlock;
    private final ArrayDeque<Fetch> inFlight = new ArrayDeque<>();

    /**
     * @param delegate      loads the blocks
     * @param maxFetchTasks how many batches may be requested at once, at least 1
     * @param endBlock      the block after the last one the scan can ask for
     */
    PrefetchingBlockLoader(BlockLoader delegate, int maxFetchTasks, int endBlock) {
        this.delegate = delegate;
        this.maxFetchTasks = maxFetchTasks;
        this.endBlock = endBlock;
    }

    @Override
    public CompletableFuture<List<Block>> load(SstLayout sst, RangeReader source, int fromBlock, int toBlock) {
        Fetch head = inFlight.poll();
        if (head != null && (head.from() != fromBlock || head.to() != toBlock)) {
            // The scan asked for something other than what was predicted; drop the guesses.
            inFlight.clear();
            head = null;
        }
        CompletableFuture<List<Block>> wanted = head != null ? head.blocks() : delegate.load(sst, source, fromBlock, toBlock);
        int batch = toBlock - fromBlock;
        int next = inFlight.isEmpty() ? toBlock : inFlight.peekLast().to();
        while (inFlight.size() < maxFetchTasks - 1 && next < endBlock) {
            int to = Math.min(endBlock, next + batch);
            inFlight.add(new Fetch(next, to, delegate.load(sst, source, next, to)));
            next = to;
        }
        return wanted;
    }
}
