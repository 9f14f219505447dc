package io.slatedb.sst;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One entry of an SST's index: where a data block starts and its index key. For compacted SSTs the key
 * is a separator no greater than the block's first key (empty for the first block when written by
 * SlateDB 0.12+); for WAL SSTs it is the block's first sequence number as 8 big-endian bytes.
 *
 * @param offset   the block's offset in the object
 * @param firstKey the index key; not copied, not to be changed
 */
public record BlockMeta(long offset, byte[] firstKey) {
    public BlockMeta {
        Objects.requireNonNull(firstKey, "firstKey");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockMeta other && offset == other.offset && Arrays.equals(firstKey, other.firstKey);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Arrays.hashCode(firstKey);
    }

    @Override
    public String toString() {
        return "BlockMeta[offset=" + offset + ", firstKey=" + HexFormat.of().formatHex(firstKey) + "]";
    }
}
