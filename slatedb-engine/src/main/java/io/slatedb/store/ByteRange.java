package io.slatedb.store;

/**
 * A byte range of an object: {@code length} bytes from {@code offset}, or (when {@code offset} is
 * negative) the last {@code length} bytes. Build with {@link #of}, {@link #from} or {@link #suffix}.
 */
public record ByteRange(long offset, long length) {

    public ByteRange {
        if (length < 0) {
            throw new IllegalArgumentException("range length must not be negative: " + length);
        }
        if (offset < 0 && offset != SUFFIX) {
            throw new IllegalArgumentException("range offset must not be negative: " + offset);
        }
    }

    private static final long SUFFIX = -1;

    /** {@code length} bytes starting at {@code offset}. */
    public static ByteRange of(long offset, long length) {
        return new ByteRange(offset, length);
    }

    /** Every byte from {@code offset} to the end. */
    public static ByteRange from(long offset) {
        return new ByteRange(offset, Long.MAX_VALUE);
    }

    /** The last {@code length} bytes (all of them when the object is shorter). */
    public static ByteRange suffix(long length) {
        return new ByteRange(SUFFIX, length);
    }

    /** Whether this is a suffix range. */
    public boolean isSuffix() {
        return offset == SUFFIX;
    }

    /**
     * The start (inclusive) of this range in an object of {@code size} bytes, clipped to the object.
     * Fails with {@link IllegalArgumentException} when a range starts past the end of a non-empty object.
     */
    public long startIn(long size) {
        if (isSuffix()) {
            return Math.max(0, size - length);
        }
        if (size > 0 && offset >= size) {
            throw new IllegalArgumentException("range starts at " + offset + ", past the end of a " + size + "-byte object");
        }
        return Math.min(offset, size);
    }

    /** The end (exclusive) of this range in an object of {@code size} bytes, clipped to the object. */
    public long endIn(long size) {
        if (isSuffix()) {
            return size;
        }
        long start = startIn(size);
        return length > size - start ? size : start + length;
    }

    @Override
    public String toString() {
        return isSuffix() ? "bytes=-" + length : "bytes=" + offset + "-" + (length == Long.MAX_VALUE ? "" : offset + length - 1);
    }
}
