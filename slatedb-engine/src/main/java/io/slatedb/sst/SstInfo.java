package io.slatedb.sst;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.CompressionCodec;
import io.slatedb.format.fb.SsTableInfo;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An SST's description of itself, stored in its footer and repeated in the manifest entry that lists
 * it: where its index, filter and stats blocks are, its codec, its type, and its first and last entries.
 *
 * @param firstEntry   compacted SSTs: the first key; WAL SSTs: the first sequence number as 8 big-endian
 *                     bytes; null when absent
 * @param lastEntry    compacted SSTs: the last key; null for WAL SSTs and SSTs written before it existed
 * @param filterLength 0 when the SST has no filter block
 * @param statsLength  0 when the SST has no stats block
 */
public record SstInfo(byte[] firstEntry, long indexOffset, long indexLength, long filterOffset,
                      long filterLength, CompressionCodec compression, SstType type, byte[] lastEntry,
                      long statsOffset, long statsLength, FilterFormat filterFormat) {

    public SstInfo {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filterFormat, "filterFormat");
    }

    /** The size estimate SlateDB's compaction scheduler uses: everything up to the end of the index. */
    public long estimatedSize() {
        return indexOffset + indexLength;
    }

    /**
     * The bytes of the SST through its last block (data, filter, index or stats, whichever ends last),
     * as the info records them: the whole object but its own trailing info block and footer, a few
     * hundred bytes that only the object's size tells exactly.
     */
    public long blocksEnd() {
        return Math.max(indexOffset + indexLength, Math.max(filterOffset + filterLength, statsOffset + statsLength));
    }

    /** Whether the SST has a filter block. */
    public boolean hasFilter() {
        return filterLength > 0;
    }

    /**
     * Reads the info from its FlatBuffers form. Enum values this version does not know are reported by
     * {@link IllegalArgumentException}; callers turn that into a data error naming the object.
     */
    public static SstInfo fromFlatBuffer(SsTableInfo fb) {
        CompressionCodec codec = CompressionCodec.fromId(fb.compressionFormat());
        if (codec == null) {
            throw new IllegalArgumentException("unknown compression format " + fb.compressionFormat());
        }
        SstType type = switch (fb.sstType()) {
            case io.slatedb.format.fb.SstType.Compacted -> SstType.COMPACTED;
            case io.slatedb.format.fb.SstType.Wal -> SstType.WAL;
            default -> throw new IllegalArgumentException("unknown SST type " + fb.sstType());
        };
        FilterFormat filterFormat = switch (fb.filterFormat()) {
            case io.slatedb.format.fb.FilterFormat.Legacy -> FilterFormat.LEGACY;
            case io.slatedb.format.fb.FilterFormat.Composite -> FilterFormat.COMPOSITE;
            default -> throw new IllegalArgumentException("unknown filter format " + fb.filterFormat());
        };
        return new SstInfo(bytes(fb.firstEntryAsByteBuffer()), fb.indexOffset(), fb.indexLen(),
                fb.filterOffset(), fb.filterLen(), codec, type, bytes(fb.lastEntryAsByteBuffer()),
                fb.statsOffset(), fb.statsLen(), filterFormat);
    }

    /**
     * Writes the info into {@code builder} and returns its offset. The entry vectors and then the table
     * are created as SlateDB's Rust writer creates them, and the generated {@code create} method adds the
     * fields in the order Rust's generated code does, so the bytes match the Rust writer's.
     */
    public int writeTo(FlatBufferBuilder builder) {
        int first = firstEntry == null ? 0 : SsTableInfo.createFirstEntryVector(builder, firstEntry);
        int last = lastEntry == null ? 0 : SsTableInfo.createLastEntryVector(builder, lastEntry);
        byte sstType = type == SstType.WAL ? io.slatedb.format.fb.SstType.Wal : io.slatedb.format.fb.SstType.Compacted;
        byte filter = filterFormat == FilterFormat.COMPOSITE
                ? io.slatedb.format.fb.FilterFormat.Composite : io.slatedb.format.fb.FilterFormat.Legacy;
        return SsTableInfo.createSsTableInfo(builder, first, indexOffset, indexLength, filterOffset, filterLength,
                compression.id(), sstType, last, statsOffset, statsLength, filter);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SstInfo other
                && Arrays.equals(firstEntry, other.firstEntry) && indexOffset == other.indexOffset
                && indexLength == other.indexLength && filterOffset == other.filterOffset
                && filterLength == other.filterLength && compression == other.compression && type == other.type
                && Arrays.equals(lastEntry, other.lastEntry) && statsOffset == other.statsOffset
                && statsLength == other.statsLength && filterFormat == other.filterFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(firstEntry), indexOffset, indexLength, filterOffset, filterLength,
                compression, type, Arrays.hashCode(lastEntry), statsOffset, statsLength, filterFormat);
    }

    @Override
    public String toString() {
        return "SstInfo[type=" + type + ", compression=" + compression + ", index=" + indexOffset + "+" + indexLength
                + ", filter=" + filterOffset + "+" + filterLength + " (" + filterFormat + "), stats=" + statsOffset
                + "+" + statsLength + "]";
    }
}
