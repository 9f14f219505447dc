package io.slatedb.format;

/**
 * Big-endian reads and writes of fixed-width integers in byte arrays, the byte order of every
 * fixed-width integer in SlateDB's formats. Callers check bounds.
 */
public final class BigEndian {
    private BigEndian() {
    }

    public static int readU16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    public static long readU32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    public static long readU64(byte[] b, int at) {
        return (readU32(b, at) << 32) | readU32(b, at + 4);
    }

    public static void writeU16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    public static void writeU32(byte[] b, int at, long value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    public static void writeU64(byte[] b, int at, long value) {
        writeU32(b, at, value >>> 32);
        writeU32(b, at + 4, value);
    }

    /** {@code value} as 8 big-endian bytes. */
    public static byte[] u64Bytes(long value) {
        byte[] out = new byte[8];
        writeU64(out, 0, value);
        return out;
    }
}
