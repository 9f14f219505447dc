package io.slatedb.format;

import java.util.Arrays;

/**
 * A bounds-checked reader over a slice of a byte array. Fixed-width integers are big-endian, as
 * everywhere in SlateDB's formats except inside varints. Reading past the end of the slice throws
 * {@link FormatException} instead of an index error, so truncated input is always reported as such.
 */
public final class ByteCursor {
    private final byte[] bytes;
    private final int end;
    private int position;

    /** A cursor over {@code bytes[start, end)}. */
    public ByteCursor(byte[] bytes, int start, int end) {
        if (start < 0 || end < start || end > bytes.length) {
            throw new IllegalArgumentException("bad slice [" + start + ", " + end + ") of " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    /** A cursor over all of {@code bytes}. */
    public ByteCursor(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** The index in the underlying array of the next byte to read. */
    public int position() {
        return position;
    }

    /** How many bytes are left before the end of the slice. */
    public int remaining() {
        return end - position;
    }

    /** Whether every byte of the slice has been read. */
    public boolean exhausted() {
        return position == end;
    }

    private void need(int count, String what) {
        if (count < 0 || count > end - position) {
            throw new FormatException("truncated " + what + ": need " + count + " bytes, " + (end - position) + " left");
        }
    }

    /** Reads one unsigned byte. */
    public int readU8(String what) {
        need(1, what);
        return bytes[position++] & 0xff;
    }

    /** Reads a big-endian unsigned 16-bit integer. */
    public int readU16(String what) {
        need(2, what);
        int value = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
        position += 2;
        return value;
    }

    /** Reads a big-endian unsigned 32-bit integer into a long. */
    public long readU32(String what) {
        need(4, what);
        long value = BigEndian.readU32(bytes, position);
        position += 4;
        return value;
    }

    /** Reads a big-endian 64-bit integer (signed or unsigned: the caller knows which). */
    public long readU64(String what) {
        need(8, what);
        long value = BigEndian.readU64(bytes, position);
        position += 8;
        return value;
    }

    /** Reads an unsigned LEB128 varint of at most 32 bits. */
    public long readVarU32(String what) {
        // Most varints (lengths of keys and small values) are one byte.
        if (position < end && bytes[position] >= 0) {
            return bytes[position++];
        }
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readU8(what);
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (value > 0xffffffffL) {
                    throw new FormatException(what + " overflows 32 bits");
                }
                return value;
            }
        }
        throw new FormatException(what + " is a varint longer than 5 bytes");
    }

    /** Reads {@code count} bytes into a new array. */
    public byte[] readBytes(long count, String what) {
        if (count > Integer.MAX_VALUE) {
            throw new FormatException(what + " length " + count + " is impossible");
        }
        need((int) count, what);
        byte[] out = Arrays.copyOfRange(bytes, position, position + (int) count);
        position += (int) count;
        return out;
    }

    /** Reads {@code count} bytes into {@code target} at {@code offset}. */
    public void readInto(byte[] target, int offset, int count, String what) {
        need(count, what);
        System.arraycopy(bytes, position, target, offset, count);
        position += count;
    }

    /**
     * Compares the next {@code count} bytes with {@code other} as unsigned bytes, as
     * {@link Arrays#compareUnsigned(byte[], int, int, byte[], int, int)} does, and moves past them.
     */
    public int compareNext(long count, byte[] other, String what) {
        if (count > Integer.MAX_VALUE) {
            throw new FormatException(what + " length " + count + " is impossible");
        }
        need((int) count, what);
        int from = position;
        position += (int) count;
        return Arrays.compareUnsigned(bytes, from, position, other, 0, other.length);
    }

    /** Skips {@code count} bytes. */
    public void skip(long count, String what) {
        if (count > Integer.MAX_VALUE) {
            throw new FormatException(what + " length " + count + " is impossible");
        }
        need((int) count, what);
        position += (int) count;
    }
}
