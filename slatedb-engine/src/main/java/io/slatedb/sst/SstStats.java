package io.slatedb.sst;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.format.FormatException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional stats block of a compacted SST (the FlatBuffers {@code SstStats}): row counts by kind,
 * the raw key and value bytes, and per-block row counts. Informational: no read path depends on it.
 *
 * @param rawKeySize   the sum of the key lengths of all rows
 * @param rawValueSize the sum of the value lengths of all rows (tombstones count 0)
 * @param blocks       per data block, in order; empty when the SST has no blocks
 */
public record SstStats(long numPuts, long numDeletes, long numMerges, long rawKeySize, long rawValueSize,
                       List<BlockStats> blocks) {

    /** Row counts of one data block (u16 each, like the Rust writer's). */
    public record BlockStats(int numPuts, int numDeletes, int numMerges) {
    }

    public SstStats {
        blocks = List.copyOf(blocks);
    }

    /** The number of rows of all kinds. */
    public long numRows() {
        return numPuts + numDeletes + numMerges;
    }

    /** The FlatBuffers encoding, laid out as the Rust writer lays it out (no block list when empty). */
    public byte[] encode() {
        FlatBufferBuilder builder = new FlatBufferBuilder(128 + 16 * blocks.size());
        int[] offsets = new int[blocks.size()];
        for (int i = 0; i < offsets.length; i++) {
            BlockStats b = blocks.get(i);
            offsets[i] = io.slatedb.format.fb.BlockStats.createBlockStats(builder, b.numPuts(),
                    b.numDeletes(), b.numMerges());
        }
        int vector = offsets.length == 0 ? 0 : io.slatedb.format.fb.SstStats.createBlockStatsVector(builder, offsets);
        builder.finish(io.slatedb.format.fb.SstStats.createSstStats(builder, numPuts, numDeletes, numMerges,
                rawKeySize, rawValueSize, vector));
        return builder.sizedByteArray();
    }

    /**
     * Decodes a FlatBuffers {@code SstStats}.
     *
     * @throws FormatException when the bytes are not well-formed stats
     */
    public static SstStats decode(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            FlatBuffers.checkRoot(buffer);
            io.slatedb.format.fb.SstStats fb = io.slatedb.format.fb.SstStats.getRootAsSstStats(buffer);
            int count = FlatBuffers.checkVectorLength(buffer, fb.blockStatsLength(), 4, "block stats list");
            List<BlockStats> blocks = new ArrayList<>(count);
            io.slatedb.format.fb.BlockStats block = new io.slatedb.format.fb.BlockStats();
            for (int i = 0; i < count; i++) {
                if (fb.blockStats(block, i) == null) {
                    throw new FormatException("block stats " + i + " are missing");
                }
                blocks.add(new BlockStats(block.numPuts(), block.numDeletes(), block.numMerges()));
            }
            return new SstStats(fb.numPuts(), fb.numDeletes(), fb.numMerges(), fb.rawKeySize(), fb.rawValSize(), blocks);
        } catch (FormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FormatException("malformed stats block: " + e, e);
        }
    }
}
