package io.slatedb.sst;

import io.slatedb.format.BigEndian;
import io.slatedb.format.ByteSink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds the bytes of one SST, laid out exactly as SlateDB writes them:
 * {@code [data blocks][filter?][index][stats?][info][crc][metadata offset][version 2]}.
 *
 * <ul>
 *   <li>{@linkplain #compacted Compacted SSTs} take rows in {@link RowEntry#KEY_ASC_SEQ_DESC} order; the
 *       index stores the shortest separator per block (empty for the first); a bloom filter is added
 *       when there are at least {@link SstWriterOptions#minFilterKeys()} rows; a stats block is always
 *       written; the info records the first and last keys.</li>
 *   <li>{@linkplain #wal WAL SSTs} take rows in sequence order (rows of one sequence number in key
 *       order); the index and the info's first entry hold sequence numbers as 8 big-endian bytes; no
 *       filter, no stats, no last entry.</li>
 * </ul>
 * Rows out of order are rejected with {@link IllegalArgumentException}. Not thread-safe; single use.
 * A compacted builder given no rows produces the empty SST SlateDB 0.12 writes as a WAL fence.
 */
public final class SstBuilder {
    private final SstType type;
    private final SstWriterOptions options;
    /** The default first size of the output buffer, when the caller gives no size hint. */
    private static final int DEFAULT_CAPACITY = 64 * 1024;
    /** A hint never reserves more than this up front; larger SSTs grow the buffer as usual. */
    private static final long MAX_HINTED_CAPACITY = 1L << 30;

    private final ByteSink out;
    private final List<BlockMeta> blockMetas = new ArrayList<>();
    private final List<SstStats.BlockStats> blockStats = new ArrayList<>();
    private final BloomFilterBuilder filter;
    private BlockBuilder block;
    private byte[] blockIndexKey;
    private int blockPuts;
    private int blockDeletes;
    private int blockMerges;
    private RowEntry first;
    private RowEntry last;
    private long rowCount;
    private long puts;
    private long deletes;
    private long merges;
    private long rawKeySize;
    private long rawValueSize;
    private boolean built;

    private SstBuilder(SstType type, SstWriterOptions options, long expectedBytes) {
        this.type = type;
        this.options = Objects.requireNonNull(options, "options");
        this.out = new ByteSink((int) Math.min(Math.max(expectedBytes, DEFAULT_CAPACITY), MAX_HINTED_CAPACITY));
        this.block = new BlockBuilder(options.blockSize());
        this.filter = type == SstType.COMPACTED ? new BloomFilterBuilder(options.filterBitsPerKey()) : null;
    }

    /** A builder of a compacted SST (rows by key ascending, then sequence number descending). */
    public static SstBuilder compacted(SstWriterOptions options) {
        return new SstBuilder(SstType.COMPACTED, options, DEFAULT_CAPACITY);
    }

    /**
     * A builder of a compacted SST expected to take about {@code expectedBytes}: its buffer starts at
     * that size (up to 1 GiB), so building it copies the data once instead of at every doubling.
     */
    public static SstBuilder compacted(SstWriterOptions options, long expectedBytes) {
        return new SstBuilder(SstType.COMPACTED, options, expectedBytes);
    }

    /** A builder of a WAL SST (rows by sequence number, then key). */
    public static SstBuilder wal(SstWriterOptions options) {
        return new SstBuilder(SstType.WAL, options, DEFAULT_CAPACITY);
    }

    /** A builder of a WAL SST expected to take about {@code expectedBytes}; see {@link #compacted(SstWriterOptions, long)}. */
    public static SstBuilder wal(SstWriterOptions options, long expectedBytes) {
        return new SstBuilder(SstType.WAL, options, expectedBytes);
    }

    /** The kind of SST being built. */
    public SstType type() {
        return type;
    }

    /**
     * Appends a row.
     *
     * @throws IllegalArgumentException when the row does not sort after the previous one
     */
    public SstBuilder add(RowEntry row) {
        Objects.requireNonNull(row, "row");
        if (built) {
            throw new IllegalStateException("SST already built");
        }
        checkOrder(row);
        if (!block.wouldFit(row)) {
            finishBlock();
        }
        if (block.isEmpty()) {
            blockIndexKey = indexKey(row);
        }
        if (!block.add(row)) {
            throw new IllegalStateException("an empty block refused a row");
        }
        switch (row.kind()) {
            case VALUE -> blockPuts++;
            case TOMBSTONE -> blockDeletes++;
            case MERGE_OPERAND -> blockMerges++;
        }
        if (filter != null) {
            filter.addKey(row.key());
        }
        rawKeySize += row.key().length;
        rawValueSize += row.valueLength();
        rowCount++;
        if (first == null) {
            first = row;
        }
        last = row;
        return this;
    }

    private void checkOrder(RowEntry row) {
        if (last == null) {
            return;
        }
        boolean inOrder;
        if (type == SstType.COMPACTED) {
            inOrder = RowEntry.KEY_ASC_SEQ_DESC.compare(last, row) < 0;
        } else {
            int bySeq = Long.compareUnsigned(last.seq(), row.seq());
            inOrder = bySeq < 0 || (bySeq == 0 && Arrays.compareUnsigned(last.key(), row.key()) < 0);
        }
        if (!inOrder) {
            throw new IllegalArgumentException("row out of order for a " + type + " SST: " + row + " after " + last);
        }
    }

    private byte[] indexKey(RowEntry row) {
        if (type == SstType.WAL) {
            return BigEndian.u64Bytes(row.seq());
        }
        return last == null ? new byte[0] : IndexSeparators.between(last.key(), row.key());
    }

    private void finishBlock() {
        byte[] stored = BlockFraming.encode(options.compression(), block.build());
        blockMetas.add(new BlockMeta(out.size(), blockIndexKey));
        out.write(stored);
        blockStats.add(new SstStats.BlockStats(blockPuts, blockDeletes, blockMerges));
        puts += blockPuts;
        deletes += blockDeletes;
        merges += blockMerges;
        blockPuts = 0;
        blockDeletes = 0;
        blockMerges = 0;
        block = new BlockBuilder(options.blockSize());
    }

    /** The number of rows added. */
    public long rowCount() {
        return rowCount;
    }

    /** The bytes of the finished blocks plus the uncompressed size of the block in progress. */
    public long estimatedSize() {
        return out.size() + (block.isEmpty() ? 0 : block.currentSize());
    }

    /** Finishes the SST. */
    public EncodedSst build() {
        if (built) {
            throw new IllegalStateException("SST already built");
        }
        built = true;
        if (!block.isEmpty()) {
            finishBlock();
        }
        long dataEnd = out.size();
        long filterLength = 0;
        if (filter != null && rowCount >= options.minFilterKeys()) {
            byte[] payload = FilterBlock.encode(options.filterFormat(), filter.build());
            byte[] stored = BlockFraming.encode(options.compression(), payload);
            out.write(stored);
            filterLength = stored.length;
        }
        SstIndex index = new SstIndex(blockMetas);
        long indexOffset = out.size();
        byte[] storedIndex = BlockFraming.encode(options.compression(), index.encode());
        out.write(storedIndex);
        SstStats stats = null;
        long statsOffset = 0;
        long statsLength = 0;
        if (type == SstType.COMPACTED) {
            stats = new SstStats(puts, deletes, merges, rawKeySize, rawValueSize, blockStats);
            statsOffset = out.size();
            byte[] storedStats = BlockFraming.encode(options.compression(), stats.encode());
            out.write(storedStats);
            statsLength = storedStats.length;
        }
        byte[] firstEntry = null;
        byte[] lastEntry = null;
        if (first != null) {
            firstEntry = type == SstType.WAL ? BigEndian.u64Bytes(first.seq()) : first.key();
            lastEntry = type == SstType.WAL ? null : last.key();
        }
        FilterFormat filterFormat = filterLength > 0 ? options.filterFormat() : FilterFormat.LEGACY;
        SstInfo info = new SstInfo(firstEntry, indexOffset, storedIndex.length, dataEnd, filterLength,
                options.compression(), type, lastEntry, statsOffset, statsLength, filterFormat);
        long metadataOffset = out.size();
        out.write(SstFooter.encode(info, metadataOffset, BlockFormat.V2.sstFormatVersion()));
        return new EncodedSst(out.toByteArray(), info, BlockFormat.V2, index, stats, rowCount);
    }
}
