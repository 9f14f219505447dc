package io.slatedb.sst;

import java.util.Objects;

/**
 * Identifies a data block for caching: the SST object's path and the block's offset in it. SSTs are
 * immutable and never rewritten under the same path, so the key never goes stale.
 */
public record BlockKey(String path, long offset) {
    public BlockKey {
        Objects.requireNonNull(path, "path");
    }

    /** The key of block {@code i} of {@code sst}. */
    public static BlockKey of(SstLayout sst, int i) {
        return new BlockKey(sst.path(), sst.blockStart(i));
    }
}
