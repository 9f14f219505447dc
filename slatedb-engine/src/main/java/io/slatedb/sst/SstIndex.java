package io.slatedb.sst;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.format.FormatException;
import io.slatedb.format.fb.SsTableIndex;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An SST's block index (the FlatBuffers {@code SsTableIndex}): the offset and index key of every data
 * block, in order. Immutable.
 */
public final class SstIndex {
    private final List<BlockMeta> blocks;

    public SstIndex(List<BlockMeta> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** The blocks, in object order. */
    public List<BlockMeta> blocks() {
        return blocks;
    }

    /** The number of data blocks. */
    public int blockCount() {
        return blocks.size();
    }

    /** The offset of block {@code i}. */
    public long offset(int i) {
        return blocks.get(i).offset();
    }

    /** The index key of block {@code i}. */
    public byte[] firstKey(int i) {
        return blocks.get(i).firstKey();
    }

    /**
     * The first block of a compacted SST that can hold {@code key}: with {@code p} the number of blocks
     * whose index key is strictly below {@code key}, block {@code p - 1} (or 0). Strictly below, because
     * versions of one key can span a block boundary, and then the later block's index key equals the key.
     */
    public int startBlockFor(byte[] key) {
        int lo = 0;
        int hi = blocks.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(blocks.get(mid).firstKey(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(lo - 1, 0);
    }

    /**
     * The first block after {@code from} that cannot hold keys at or below {@code key} ({@code inclusive})
     * or below {@code key} (otherwise): every key of a block is at least its index key.
     */
    public int endBlockFor(byte[] key, boolean inclusive, int from) {
        for (int i = Math.max(from + 1, 1); i < blocks.size(); i++) {
            int cmp = Arrays.compareUnsigned(blocks.get(i).firstKey(), key);
            if (inclusive ? cmp > 0 : cmp >= 0) {
                return i;
            }
        }
        return blocks.size();
    }

    /** The FlatBuffers encoding, laid out as the Rust writer lays it out. */
    public byte[] encode() {
        FlatBufferBuilder builder = new FlatBufferBuilder(64 + 32 * blocks.size());
        int[] metas = new int[blocks.size()];
        for (int i = 0; i < metas.length; i++) {
            BlockMeta meta = blocks.get(i);
            int key = io.slatedb.format.fb.BlockMeta.createFirstKeyVector(builder, meta.firstKey());
            metas[i] = io.slatedb.format.fb.BlockMeta.createBlockMeta(builder, meta.offset(), key);
        }
        int vector = SsTableIndex.createBlockMetaVector(builder, metas);
        builder.finish(SsTableIndex.createSsTableIndex(builder, vector));
        return builder.sizedByteArray();
    }

    /**
     * Decodes a FlatBuffers {@code SsTableIndex}.
     *
     * @throws FormatException when the bytes are not a well-formed index
     */
    public static SstIndex decode(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            FlatBuffers.checkRoot(buffer);
            SsTableIndex index = SsTableIndex.getRootAsSsTableIndex(buffer);
            int count = FlatBuffers.checkVectorLength(buffer, index.blockMetaLength(), 4, "index block list");
            List<BlockMeta> blocks = new ArrayList<>(count);
            io.slatedb.format.fb.BlockMeta fbMeta = new io.slatedb.format.fb.BlockMeta();
            for (int i = 0; i < count; i++) {
                if (index.blockMeta(fbMeta, i) == null) {
                    throw new FormatException("index entry " + i + " is missing");
                }
                ByteBuffer key = fbMeta.firstKeyAsByteBuffer();
                if (key == null) {
                    throw new FormatException("index entry " + i + " has no first key");
                }
                byte[] firstKey = new byte[key.remaining()];
                key.get(firstKey);
                blocks.add(new BlockMeta(fbMeta.offset(), firstKey));
            }
            return new SstIndex(blocks);
        } catch (FormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FormatException("malformed index: " + e, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SstIndex other && blocks.equals(other.blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    @Override
    public String toString() {
        return "SstIndex" + blocks;
    }
}
