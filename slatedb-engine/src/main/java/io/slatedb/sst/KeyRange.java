package io.slatedb.sst;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A range of keys in unsigned byte order, each end bounded (inclusive or exclusive) or open.
 *
 * @param start          the lower bound, null when unbounded
 * @param startInclusive whether {@code start} itself is in the range
 * @param end            the upper bound, null when unbounded
 * @param endInclusive   whether {@code end} itself is in the range
 */
public record KeyRange(byte[] start, boolean startInclusive, byte[] end, boolean endInclusive) {
    private static final KeyRange ALL = new KeyRange(null, false, null, false);

    /** Every key. */
    public static KeyRange all() {
        return ALL;
    }

    /** Keys in {@code [start, end)}; either may be null for an open end. */
    public static KeyRange halfOpen(byte[] start, byte[] end) {
        return new KeyRange(start, true, end, false);
    }

    /** Keys in {@code [start, end]}. */
    public static KeyRange closed(byte[] start, byte[] end) {
        return new KeyRange(start, true, end, true);
    }

    /** Just {@code key}. */
    public static KeyRange point(byte[] key) {
        return closed(key, key);
    }

    /**
     * The keys that start with {@code prefix}: {@code [prefix, successor)}, where the successor is the
     * prefix without its trailing 0xFF bytes and with its last byte incremented; unbounded above when
     * the prefix is empty or all 0xFF.
     */
    public static KeyRange prefix(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && prefix[last] == (byte) 0xFF) {
            last--;
        }
        if (prefix.length == 0) {
            return ALL;
        }
        if (last < 0) {
            return new KeyRange(prefix.clone(), true, null, false);
        }
        byte[] successor = Arrays.copyOf(prefix, last + 1);
        successor[last]++;
        return new KeyRange(prefix.clone(), true, successor, false);
    }

    /** The keys in both this range and {@code other}. */
    public KeyRange intersect(KeyRange other) {
        byte[] newStart = start;
        boolean newStartInclusive = startInclusive;
        if (other.start != null) {
            int cmp = start == null ? -1 : Arrays.compareUnsigned(start, other.start);
            if (cmp < 0 || (cmp == 0 && !other.startInclusive)) {
                newStart = other.start;
                newStartInclusive = other.startInclusive;
            }
        }
        byte[] newEnd = end;
        boolean newEndInclusive = endInclusive;
        if (other.end != null) {
            int cmp = end == null ? 1 : Arrays.compareUnsigned(end, other.end);
            if (cmp > 0 || (cmp == 0 && !other.endInclusive)) {
                newEnd = other.end;
                newEndInclusive = other.endInclusive;
            }
        }
        return new KeyRange(newStart, newStartInclusive, newEnd, newEndInclusive);
    }

    /** Whether no key is in the range. */
    public boolean isEmpty() {
        if (end != null && end.length == 0 && !endInclusive) {
            // Nothing sorts below the empty key.
            return true;
        }
        if (start == null || end == null) {
            return false;
        }
        int cmp = Arrays.compareUnsigned(start, end);
        if (cmp != 0) {
            // (k, k + 0x00) holds no key either: nothing sorts strictly between a key and its 0x00 extension.
            return cmp > 0 || (!startInclusive && !endInclusive && isZeroExtension(start, end));
        }
        return !(startInclusive && endInclusive);
    }

    private static boolean isZeroExtension(byte[] shorter, byte[] longer) {
        return longer.length == shorter.length + 1 && longer[shorter.length] == 0
                && Arrays.equals(shorter, 0, shorter.length, longer, 0, shorter.length);
    }

    /** Whether {@code key} sorts before the range's start. */
    public boolean isBeforeStart(byte[] key) {
        if (start == null) {
            return false;
        }
        int cmp = Arrays.compareUnsigned(key, start);
        return startInclusive ? cmp < 0 : cmp <= 0;
    }

    /** Whether {@code key} sorts after the range's end. */
    public boolean isAfterEnd(byte[] key) {
        if (end == null) {
            return false;
        }
        int cmp = Arrays.compareUnsigned(key, end);
        return endInclusive ? cmp > 0 : cmp >= 0;
    }

    /** Whether {@code key} is in the range. */
    public boolean contains(byte[] key) {
        return !isBeforeStart(key) && !isAfterEnd(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange other && startInclusive == other.startInclusive && endInclusive == other.endInclusive
                && Arrays.equals(start, other.start) && Arrays.equals(end, other.end);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(start) + Arrays.hashCode(end)) + (startInclusive ? 2 : 0) + (endInclusive ? 1 : 0);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return (start == null ? "(-inf" : (startInclusive ? "[" : "(") + hex.formatHex(start)) + ", "
                + (end == null ? "+inf)" : hex.formatHex(end) + (endInclusive ? "]" : ")"));
    }
}
