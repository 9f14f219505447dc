package io.slatedb.sst;

import io.slatedb.format.ByteSink;

import java.util.Arrays;

/**
 * Builds one version-2 data block: rows in the V2 codec, each key sharing its prefix with the previous
 * key except at restart points (every {@value #RESTART_INTERVAL} rows), followed by the u16 restart
 * offsets and their u16 count. Rows are accepted while the encoded block, trailer included, stays
 * within the target size; an empty block accepts any row, so a row larger than the target gets a block
 * of its own. This is the same rule as the Rust {@code BlockBuilderV2}, so both cut blocks at the
 * same rows.
 */
public final class BlockBuilder {
    /** Rows between restart points. */
    public static final int RESTART_INTERVAL = 16;

    private final int targetSize;
    private final ByteSink data;
    private int[] restarts = new int[8];
    private int restartCount;
    private int rowCount;
    private byte[] lastKey = new byte[0];
    private boolean built;

    /** A builder of blocks of about {@code targetSize} bytes (at most 65536: offsets are u16). */
    public BlockBuilder(int targetSize) {
        if (targetSize < 1 || targetSize > 65536) {
            throw new IllegalArgumentException("block size must be in [1, 65536]: " + targetSize);
        }
        this.targetSize = targetSize;
        this.data = new ByteSink(Math.min(targetSize, 65536) + 64);
    }

    private boolean atRestartPoint() {
        return rowCount % RESTART_INTERVAL == 0;
    }

    private int sharedWithLast(byte[] key) {
        if (atRestartPoint()) {
            return 0;
        }
        int mismatch = Arrays.mismatch(lastKey, key);
        return mismatch < 0 ? key.length : mismatch;
    }

    /** The encoded size of the block so far: rows, restart offsets and their count. */
    public int currentSize() {
        return data.size() + 2 * restartCount + 2;
    }

    /** Whether {@code row} would go into this block (an empty block takes any row). */
    public boolean wouldFit(RowEntry row) {
        if (built) {
            throw new IllegalStateException("block already built");
        }
        if (rowCount == 0) {
            return true;
        }
        long restartOverhead = 0;
        if (atRestartPoint()) {
            // The restart offset is a u16; a block never grows past it at the sizes allowed here,
            // but the check keeps the encoding valid whatever happens.
            if (data.size() > 0xffff) {
                return false;
            }
            restartOverhead = 2;
        }
        return currentSize() + RowCodecV2.encodedSize(sharedWithLast(row.key()), row) + restartOverhead <= targetSize;
    }

    /** Appends {@code row} if it fits; returns whether it did. */
    public boolean add(RowEntry row) {
        if (!wouldFit(row)) {
            return false;
        }
        int shared = sharedWithLast(row.key());
        if (atRestartPoint()) {
            if (restartCount == restarts.length) {
                restarts = Arrays.copyOf(restarts, restartCount * 2);
            }
            restarts[restartCount++] = data.size();
        }
        RowCodecV2.encode(data, shared, row);
        lastKey = row.key();
        rowCount++;
        return true;
    }

    /** Whether no row has been added. */
    public boolean isEmpty() {
        return rowCount == 0;
    }

    /** The encoded (uncompressed) block. */
    public byte[] build() {
        if (built || rowCount == 0) {
            throw new IllegalStateException(built ? "block already built" : "a block needs at least one row");
        }
        // The builder is finished after this: the trailer goes straight after the rows.
        for (int i = 0; i < restartCount; i++) {
            data.writeU16(restarts[i]);
        }
        data.writeU16(restartCount);
        built = true;
        return data.toByteArray();
    }
}
