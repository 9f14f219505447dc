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
 * block, in order. The keys are kept back to back in one array, so the binary search of a point read
 * walks one array rather than an object and an array per block. Immutable.
 */
public final class SstIndex {
    private final long[] offsets;
    /** The index keys, back to back: key {@code i} is {@code keys[keyStarts[i], keyStarts[i + 1])}. */
    private final byte[] keys;
    private final int[] keyStarts;
    /** How many leading bytes index keys 1 and on all share (block 0's key plays no part in a lookup). */
    private final int commonLength;
    /**
     * Per index key from 1 on, its 8 bytes after the shared prefix, big-endian, zero-padded: a lookup
     * compares these first and reads the keys only on a tie.
     */
    private final long[] windows;

    public SstIndex(List<BlockMeta> blocks) {
        int count = blocks.size();
        this.offsets = new long[count];
        this.keyStarts = new int[count + 1];
        long total = 0;
        for (int i = 0; i < count; i++) {
            BlockMeta meta = blocks.get(i);
            offsets[i] = meta.offset();
            keyStarts[i] = (int) total;
            total += meta.firstKey().length;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("index keys of " + total + " bytes do not fit in an array");
            }
        }
        keyStarts[count] = (int) total;
        this.keys = new byte[(int) total];
        for (int i = 0; i < count; i++) {
            byte[] key = blocks.get(i).firstKey();
            System.arraycopy(key, 0, keys, keyStarts[i], key.length);
        }
        int common = count > 1 ? keyStarts[2] - keyStarts[1] : 0;
        for (int i = 2; i < count; i++) {
            int mismatch = Arrays.mismatch(keys, keyStarts[1], keyStarts[1] + common, keys, keyStarts[i], keyStarts[i + 1]);
            if (mismatch >= 0) {
                common = mismatch;
            }
        }
        this.commonLength = common;
        this.windows = new long[count];
        for (int i = 1; i < count; i++) {
            windows[i] = window(keys, keyStarts[i] + common, keyStarts[i + 1]);
        }
    }

    /** The 8 bytes of {@code bytes[from, end)} from {@code from}, big-endian, zero-padded. */
    private static long window(byte[] bytes, int from, int end) {
        long window = 0;
        for (int i = 0; i < 8; i++) {
            window = (window << 8) | (from + i < end ? bytes[from + i] & 0xff : 0);
        }
        return window;
    }

    /** The blocks, in object order (built on each call: for tools and tests). */
    public List<BlockMeta> blocks() {
        List<BlockMeta> blocks = new ArrayList<>(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            blocks.add(new BlockMeta(offsets[i], firstKey(i)));
        }
        return List.copyOf(blocks);
    }

    /** The number of data blocks. */
    public int blockCount() {
        return offsets.length;
    }

    /** The offset of block {@code i}. */
    public long offset(int i) {
        return offsets[i];
    }

    /** The index key of block {@code i}, as a new array. */
    public byte[] firstKey(int i) {
        return Arrays.copyOfRange(keys, keyStarts[i], keyStarts[i + 1]);
    }

    /** Compares the index key of block {@code i} with {@code key} as unsigned bytes. */
    private int compareKey(int i, byte[] key) {
        return Arrays.compareUnsigned(keys, keyStarts[i], keyStarts[i + 1], key, 0, key.length);
    }

    /**
     * The first block of a compacted SST that can hold {@code key}: with {@code p} the number of blocks
     * whose index key is strictly below {@code key}, block {@code p - 1} (or 0). Strictly below, because
     * versions of one key can span a block boundary, and then the later block's index key equals the key.
     */
    public int startBlockFor(byte[] key) {
        // That is how many of index keys 1 and on are below the key: block 0's key is below or equal to all
        // of them, and counts only when they all do.
        int count = offsets.length;
        if (count <= 1) {
            return 0;
        }
        int prefix = compareWithCommonPrefix(key);
        if (prefix != 0) {
            return prefix < 0 ? 0 : count - 1;
        }
        long window = window(key, commonLength, key.length);
        int lo = 1;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = Long.compareUnsigned(windows[mid], window);
            if (cmp == 0) {
                cmp = compareKey(mid, key);
            }
            if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /**
     * Whether block {@code i} can hold {@code key}'s versions given that the blocks before it could:
     * its index key is not above the key (every key of a block is at least its index key).
     */
    public boolean mayHold(int i, byte[] key) {
        return compareKey(i, key) <= 0;
    }

    /**
     * Below 0 when {@code key} sorts below the prefix index keys 1 and on share (and so below each of
     * them), above 0 when it sorts above all of them, 0 when it starts with the prefix.
     */
    private int compareWithCommonPrefix(byte[] key) {
        int from = keyStarts[1];
        int length = Math.min(commonLength, key.length);
        int cmp = Arrays.compareUnsigned(key, 0, length, keys, from, from + length);
        if (cmp != 0) {
            return cmp;
        }
        return key.length < commonLength ? -1 : 0;
    }

    /**
     * The first block after {@code from} that cannot hold keys at or below {@code key} ({@code inclusive})
     * or below {@code key} (otherwise): every key of a block is at least its index key.
     */
    public int endBlockFor(byte[] key, boolean inclusive, int from) {
        int first = Math.max(from + 1, 1);
        if (first >= offsets.length) {
            return offsets.length;
        }
        int prefix = compareWithCommonPrefix(key);
        if (prefix != 0) {
            // Below the prefix index keys 1 and on share: every one of them is above the key; above it:
            // every one is below.
            return prefix < 0 ? first : offsets.length;
        }
        // As in startBlockFor: the 8-byte windows after the shared prefix decide, the keys only on a tie.
        long window = window(key, commonLength, key.length);
        for (int i = first; i < offsets.length; i++) {
            int cmp = Long.compareUnsigned(windows[i], window);
            if (cmp == 0) {
                cmp = compareKey(i, key);
            }
            if (inclusive ? cmp > 0 : cmp >= 0) {
                return i;
            }
        }
        return offsets.length;
    }

    /** The FlatBuffers encoding, laid out as the Rust writer lays it out. */
    public byte[] encode() {
        FlatBufferBuilder builder = new FlatBufferBuilder(64 + 32 * offsets.length);
        int[] metas = new int[offsets.length];
        for (int i = 0; i < metas.length; i++) {
            int key = io.slatedb.format.fb.BlockMeta.createFirstKeyVector(builder, firstKey(i));
            metas[i] = io.slatedb.format.fb.BlockMeta.createBlockMeta(builder, offsets[i], key);
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
        return o instanceof SstIndex other && Arrays.equals(offsets, other.offsets)
                && Arrays.equals(keyStarts, other.keyStarts) && Arrays.equals(keys, other.keys);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(offsets) + Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        return "SstIndex" + blocks();
    }
}
