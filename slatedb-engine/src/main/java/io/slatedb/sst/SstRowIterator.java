package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.FormatException;
import io.slatedb.util.Futures;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Iterates the rows of a run of an SST's data blocks, loading {@code readAhead} blocks at a time and
 * decoding rows lazily. With a key range it seeks into the first block and stops at the first row past
 * the range's end.
 */
final class SstRowIterator implements RowIterator {
    private final SstLayout sst;
    private final RangeReader source;
    private final BlockLoader loader;
    private final KeyRange range;
    private final int endBlock;
    private final int readAhead;
    private final ArrayDeque<Block> loaded = new ArrayDeque<>();
    private int nextBlockToLoad;
    private int currentBlock;
    private BlockIterator current;
    private boolean seekPending;
    private boolean finished;
    private CompletableFuture<RowEntry> failure;

    SstRowIterator(SstLayout sst, RangeReader source, BlockLoader loader, KeyRange range, int fromBlock, int toBlock,
                   int readAhead) {
        this.sst = sst;
        this.source = source;
        this.loader = loader;
        this.range = range;
        this.nextBlockToLoad = fromBlock;
        this.currentBlock = fromBlock - 1;
        this.endBlock = toBlock;
        this.readAhead = readAhead;
        this.seekPending = range != null && range.start() != null;
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        if (failure != null) {
            return failure;
        }
        if (finished) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            while (true) {
                if (current != null && current.hasNext()) {
                    RowEntry row = current.next();
                    if (range != null && range.isAfterEnd(row.key())) {
                        finished = true;
                        return CompletableFuture.completedFuture(null);
                    }
                    if (range != null && range.isBeforeStart(row.key())) {
                        continue;
                    }
                    return CompletableFuture.completedFuture(row);
                }
                if (!loaded.isEmpty()) {
                    current = loaded.poll().iterator();
                    currentBlock++;
                    if (seekPending) {
                        seekPending = false;
                        current.seek(range.start());
                    }
                    continue;
                }
                if (nextBlockToLoad >= endBlock) {
                    finished = true;
                    return CompletableFuture.completedFuture(null);
                }
                int from = nextBlockToLoad;
                int to = Math.min(endBlock, from + readAhead);
                nextBlockToLoad = to;
                return loader.load(sst, source, from, to).handle((blocks, error) -> afterLoad(blocks, error))
                        .thenCompose(f -> f);
            }
        } catch (FormatException e) {
            return fail(new CorruptObjectException(sst.path(), "data block " + currentBlock + " at offset "
                    + sst.blockStart(currentBlock) + ": " + e.getMessage(), e));
        }
    }

    private CompletableFuture<RowEntry> afterLoad(List<Block> blocks, Throwable error) {
        if (error != null) {
            return fail(error);
        }
        loaded.addAll(blocks);
        return next();
    }

    private CompletableFuture<RowEntry> fail(Throwable error) {
        failure = CompletableFuture.failedFuture(Futures.unwrap(error));
        return failure;
    }
}
