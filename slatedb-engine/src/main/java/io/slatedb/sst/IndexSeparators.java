package io.slatedb.sst;

import java.util.Arrays;

/**
 * The keys a compacted SST's index stores per block: a separator that sorts strictly above the
 * previous block's last key and no higher than the block's first key, as short as the Rust writer
 * makes it (common prefix plus one byte), so both write identical indexes.
 */
final class IndexSeparators {
    private IndexSeparators() {
    }

    /**
     * The separator between a block ending with {@code previousLastKey} and the next one starting with
     * {@code firstKey} ({@code previousLastKey <= firstKey}). Equal keys (versions of one key spanning
     * the boundary) give the whole key.
     */
    static byte[] between(byte[] previousLastKey, byte[] firstKey) {
        int mismatch = Arrays.mismatch(previousLastKey, firstKey);
        if (mismatch < 0) {
            return firstKey.clone();
        }
        if (mismatch >= firstKey.length) {
            throw new IllegalArgumentException("first key of a block sorts below the previous block's last key");
        }
        // Either the keys differ at `mismatch`, or the previous key is a proper prefix of the first key.
        return Arrays.copyOf(firstKey, mismatch + 1);
    }
}
