package io.slatedb.sst;

import java.util.Objects;

/**
 * Identifies a data block for caching: the SST object's path and the block's offset in it. SSTs are
 * immutable and never rewritten under the same path, so the key never goes stale. The hash is
 * computed once, since every cached read builds a key and looks it up.
 */
public final class BlockKey {
    private final String path;
    private final long offset;
    private final int hash;

    public BlockKey(String path, long offset) {
        this.path = Objects.requireNonNull(path, "path");
        this.offset = offset;
        this.hash = 31 * path.hashCode() + Long.hashCode(offset);
    }

    /** The key of block {@code i} of {@code sst}. */
    public static BlockKey of(SstLayout sst, int i) {
        return new BlockKey(sst.path(), sst.blockStart(i));
    }

    /** The SST object's path. */
    public String path() {
        return path;
    }

    /** The block's offset in the object. */
    public long offset() {
        return offset;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockKey that && offset == that.offset && hash == that.hash
                && path.equals(that.path);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "BlockKey[path=" + path + ", offset=" + offset + "]";
    }
}
