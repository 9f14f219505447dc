package io.slatedb.sst;

import io.slatedb.format.FormatException;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a reader needs to locate the parts of one SST object: its size, block layout, info and
 * block index. Built only from metadata that passed its checksums and the consistency checks here
 * (every region inside the object, blocks in order and contiguous), so block reads never go out of
 * range. Immutable; cacheable per object.
 *
 * @param path        the object's path in its store; block caches key blocks by it and the block offset
 * @param objectSize  the size of the whole object
 * @param blockFormat the layout of the data blocks, from the footer version
 * @param info        the SST's info
 * @param index       the block index
 */
public record SstLayout(String path, long objectSize, BlockFormat blockFormat, SstInfo info, SstIndex index) {

    public SstLayout {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(blockFormat, "blockFormat");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(index, "index");
    }

    /** Where the data blocks end: the filter block, or the index when there is no filter. */
    public long dataEnd() {
        return info.filterLength() > 0 ? info.filterOffset() : info.indexOffset();
    }

    /** The offset of stored block {@code i}. */
    public long blockStart(int i) {
        return index.offset(i);
    }

    /** The end (exclusive) of stored block {@code i}. */
    public long blockEnd(int i) {
        return i + 1 < index.blockCount() ? index.offset(i + 1) : dataEnd();
    }

    /** The number of data blocks. */
    public int blockCount() {
        return index.blockCount();
    }

    /**
     * Checks that the regions the info names lie inside the object before the info itself, so they
     * can be read.
     */
    static void checkInfo(SstInfo info, long metadataOffset) {
        checkRegion("index", info.indexOffset(), info.indexLength(), metadataOffset);
        if (info.filterLength() != 0) {
            checkRegion("filter", info.filterOffset(), info.filterLength(), metadataOffset);
        }
        if (info.statsLength() != 0) {
            checkRegion("stats", info.statsOffset(), info.statsLength(), metadataOffset);
        }
        long dataEnd = info.filterLength() > 0 ? info.filterOffset() : info.indexOffset();
        if (Long.compareUnsigned(dataEnd, info.indexOffset()) > 0) {
            throw new FormatException("filter block at " + info.filterOffset() + " follows the index at " + info.indexOffset());
        }
    }

    private static void checkRegion(String name, long offset, long length, long limit) {
        // Offsets are u64 on disk; a negative long is a value beyond any object.
        if (offset < 0 || length < 0 || offset > limit || length > limit - offset) {
            throw new FormatException(name + " block " + Long.toUnsignedString(offset) + "+" + Long.toUnsignedString(length)
                    + " does not fit before the SST info at " + limit);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new FormatException(name + " block of " + length + " bytes is too large");
        }
        if (length <= BlockFraming.CHECKSUM_SIZE) {
            throw new FormatException(name + " block of " + length + " bytes is too short for its checksum");
        }
    }

    /**
     * Checks that the index describes contiguous blocks from offset 0 to the end of the data, each long
     * enough to hold its checksum, and (for compacted SSTs) index keys in ascending order, which the
     * lookups rely on.
     */
    static void checkIndex(SstInfo info, SstIndex index) {
        long dataEnd = info.filterLength() > 0 ? info.filterOffset() : info.indexOffset();
        int count = index.blockCount();
        if (count == 0) {
            if (dataEnd != 0) {
                throw new FormatException("SST without blocks has " + dataEnd + " bytes of data");
            }
            return;
        }
        if (index.offset(0) != 0) {
            throw new FormatException("first block starts at " + index.offset(0) + ", not 0");
        }
        for (int i = 0; i < count; i++) {
            long start = index.offset(i);
            long end = i + 1 < count ? index.offset(i + 1) : dataEnd;
            if (end < 0 || end - start <= BlockFraming.CHECKSUM_SIZE || end > dataEnd) {
                throw new FormatException("block " + i + " spans " + start + ".." + Long.toUnsignedString(end)
                        + " (data ends at " + dataEnd + ")");
            }
            if (end - start > Integer.MAX_VALUE - 16) {
                throw new FormatException("block " + i + " of " + (end - start) + " bytes is too large");
            }
            if (info.type() == SstType.COMPACTED && i > 0
                    && Arrays.compareUnsigned(index.firstKey(i - 1), index.firstKey(i)) > 0) {
                throw new FormatException("index keys of blocks " + (i - 1) + " and " + i + " are out of order");
            }
        }
    }
}
