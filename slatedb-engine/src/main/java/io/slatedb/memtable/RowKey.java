package io.slatedb.memtable;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A memtable position: key ascending (unsigned bytes), then sequence number descending, the order
 * of {@link io.slatedb.sst.RowEntry#KEY_ASC_SEQ_DESC}. The key's first 8 bytes are kept as an
 * unsigned long (zero-padded), so comparing two positions usually needs no access to the arrays.
 */
record RowKey(long prefix, byte[] key, long seq) {

    static final Comparator<RowKey> ORDER = (a, b) -> {
        int byPrefix = Long.compareUnsigned(a.prefix, b.prefix);
        if (byPrefix != 0) {
            return byPrefix;
        }
        int byKey = Arrays.compareUnsigned(a.key, b.key);
        return byKey != 0 ? byKey : Long.compareUnsigned(b.seq, a.seq);
    };

    static RowKey of(byte[] key, long seq) {
        long prefix = 0;
        for (int i = 0; i < 8; i++) {
            prefix = (prefix << 8) | (i < key.length ? key[i] & 0xFF : 0);
        }
        return new RowKey(prefix, key, seq);
    }
}
