package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.FormatException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads a run of contiguous data blocks with one ranged read and decodes each of them. */
final class DirectBlockLoader implements BlockLoader {
    static final DirectBlockLoader INSTANCE = new DirectBlockLoader();

    private DirectBlockLoader() {
    }

    @Override
    public CompletableFuture<List<Block>> load(SstLayout sst, RangeReader source, int fromBlock, int toBlock) {
        if (fromBlock < 0 || toBlock > sst.blockCount() || fromBlock >= toBlock) {
            throw new IllegalArgumentException("bad block range [" + fromBlock + ", " + toBlock + ") of "
                    + sst.blockCount() + " blocks");
        }
        long start = sst.blockStart(fromBlock);
        return source.read(start, sst.blockEnd(toBlock - 1)).thenApply(bytes -> {
            List<Block> blocks = new ArrayList<>(toBlock - fromBlock);
            for (int i = fromBlock; i < toBlock; i++) {
                blocks.add(decode(sst, i, bytes, (int) (sst.blockStart(i) - start)));
            }
            return blocks;
        });
    }

    /** Decodes stored block {@code i} of {@code sst}, found at {@code bytes[at, ...)}. */
    static Block decode(SstLayout sst, int i, byte[] bytes, int at) {
        try {
            int length = (int) (sst.blockEnd(i) - sst.blockStart(i));
            byte[] payload = BlockFraming.decode(sst.info().compression(), bytes, at, length);
            return Block.decode(sst.blockFormat(), payload);
        } catch (FormatException e) {
            throw new CorruptObjectException(sst.path(), "data block " + i + " at offset " + sst.blockStart(i) + ": "
                    + e.getMessage(), e);
        }
    }
}
