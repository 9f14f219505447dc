package io.slatedb.memtable;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A memtable position: key ascending (unsigned bytes), then sequence number descending, the order
 * of {@link io.slatedb.sst.RowEntry#KEY_ASC_SEQ_DESC}. The key's first 16 bytes are kept as two
 * unsigned longs (zero-padded), so comparing two positions usually needs no access to the arrays,
 * even for keys that share a prefix of up to 8 bytes (zero-padded numbers, "user:" and the like).
 * Zero-padding keeps the order: equal padded prefixes fall back to comparing the arrays.
 */
record RowKey(long prefix, long prefix2, byte[] key, long seq) {

    static final Comparator<RowKey> ORDER = (a, b) -> {
        int byPrefix = Long.compareUnsigned(a.prefix, b.prefix);
        if (byPrefix != 0) {
            return byPrefix;
        }
        int byPrefix2 = Long.compareUnsigned(a.prefix2, b.prefix2);
        if (byPrefix2 != 0) {
            return byPrefix2;
        }
        int byKey = Arrays.compareUnsigned(a.key, b.key);
        return byKey != 0 ? byKey : Long.compareUnsigned(b.seq, a.seq);
    };

    static RowKey of(byte[] key, long seq) {
        return new RowKey(bigEndianPadded(key, 0), bigEndianPadded(key, 8), key, seq);
    }

    /** Bytes {@code from} to {@code from + 7} of {@code key} as an unsigned long, zero-padded. */
    private static long bigEndianPadded(byte[] key, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = (value << 8) | (i < key.length ? key[i] & 0xFF : 0);
        }
        return value;
    }
}
