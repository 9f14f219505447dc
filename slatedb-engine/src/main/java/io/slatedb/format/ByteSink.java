package io.slatedb.format;

import java.util.Arrays;

/**
 * A growable byte buffer for encoders: appends raw bytes, big-endian fixed-width integers and LEB128
 * varints. Not thread-safe.
 */
public final class ByteSink {
    private byte[] buffer;
    private int size;

    public ByteSink(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public ByteSink() {
        this(256);
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("encoded object would exceed 2 GiB");
        }
        if (needed > buffer.length) {
            long grown = Math.max(needed, (long) buffer.length * 2);
            buffer = Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
    }

    /** The number of bytes written so far. */
    public int size() {
        return size;
    }

    public ByteSink writeU8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public ByteSink writeU16(int value) {
        ensure(2);
        BigEndian.writeU16(buffer, size, value);
        size += 2;
        return this;
    }

    public ByteSink writeU32(long value) {
        ensure(4);
        BigEndian.writeU32(buffer, size, value);
        size += 4;
        return this;
    }

    public ByteSink writeU64(long value) {
        ensure(8);
        BigEndian.writeU64(buffer, size, value);
        size += 8;
        return this;
    }

    /** Appends an unsigned LEB128 varint of a value in {@code [0, 2^32)}. */
    public ByteSink writeVarU32(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException("varint value out of u32 range: " + value);
        }
        ensure(5);
        long v = value;
        while (v >= 0x80) {
            buffer[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    public ByteSink write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    public ByteSink write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** How many bytes the LEB128 varint of {@code value} takes. */
    public static int varU32Length(long value) {
        int length = 1;
        long v = value;
        while (v >= 0x80) {
            v >>>= 7;
            length++;
        }
        return length;
    }
}
