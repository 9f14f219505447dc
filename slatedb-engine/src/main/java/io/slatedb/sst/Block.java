package io.slatedb.sst;

import io.slatedb.format.BigEndian;
import io.slatedb.format.FormatException;

import java.util.Objects;

/**
 * A decoded (checksum-verified, decompressed) data block. Decoding checks the trailer (offsets inside
 * the rows area and strictly increasing, the first at 0); rows are decoded lazily by the block's
 * iterators, which report malformed rows as {@link FormatException}. Immutable and safe to share
 * between threads, so decoded blocks can be cached.
 */
public final class Block {
    private final BlockFormat format;
    private final byte[] bytes;
    private final int rowsEnd;
    private final int[] offsets;

    private Block(BlockFormat format, byte[] bytes, int rowsEnd, int[] offsets) {
        this.format = format;
        this.bytes = bytes;
        this.rowsEnd = rowsEnd;
        this.offsets = offsets;
    }

    /**
     * Decodes the trailer of an uncompressed block. The array is kept, not copied.
     *
     * @throws FormatException when the trailer is malformed
     */
    public static Block decode(BlockFormat format, byte[] bytes) {
        Objects.requireNonNull(format, "format");
        if (bytes.length < 2) {
            throw new FormatException("block of " + bytes.length + " bytes has no trailer");
        }
        int count = BigEndian.readU16(bytes, bytes.length - 2);
        String what = format == BlockFormat.V2 ? "restart" : "row";
        if (count == 0) {
            throw new FormatException("block has no " + what + " offsets");
        }
        long trailer = 2L + 2L * count;
        if (trailer >= bytes.length) {
            throw new FormatException("block of " + bytes.length + " bytes cannot hold " + count + " " + what + " offsets");
        }
        int rowsEnd = (int) (bytes.length - trailer);
        int[] offsets = new int[count];
        for (int i = 0; i < count; i++) {
            int offset = BigEndian.readU16(bytes, rowsEnd + 2 * i);
            if (i == 0 ? offset != 0 : offset <= offsets[i - 1]) {
                throw new FormatException("block " + what + " offset " + i + " is " + offset
                        + (i == 0 ? ", not 0" : ", not above the previous " + offsets[i - 1]));
            }
            if (offset >= rowsEnd) {
                throw new FormatException("block " + what + " offset " + offset + " is past the rows (" + rowsEnd + " bytes)");
            }
            offsets[i] = offset;
        }
        return new Block(format, bytes, rowsEnd, offsets);
    }

    /** The layout of this block. */
    public BlockFormat format() {
        return format;
    }

    /** The uncompressed size of the block in bytes (what it weighs in a cache). */
    public int sizeInBytes() {
        return bytes.length;
    }

    /** An iterator over the block's rows, in stored order, starting at the first row. */
    public BlockIterator iterator() {
        return format == BlockFormat.V2 ? new BlockIteratorV2(this) : new BlockIteratorV1(this);
    }

    byte[] bytes() {
        return bytes;
    }

    int rowsEnd() {
        return rowsEnd;
    }

    /** Restart offsets (V2) or row offsets (V1); never changed by callers. */
    int[] offsets() {
        return offsets;
    }
}
