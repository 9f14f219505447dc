package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;

/**
 * Estimates how large the compacted SST written from a memtable will be, which decides when the
 * writer freezes it. The estimate assumes SlateDB's default layout (4 KiB blocks, a bloom filter of
 * 10 bits per key, no compression) and no key prefix sharing, so it errs on the large side.
 */
final class SstSizeEstimate {
    private static final int BLOCK_SIZE = 4096;
    /** Per block: its checksum (4), restart count (2) and the block's entry in the index besides the key. */
    private static final int BLOCK_OVERHEAD = 4 + 2 + 24;
    /** A restart offset (2 bytes) every 16 rows, spread over the rows. */
    private static final double RESTART_BYTES_PER_ROW = 2.0 / 16;
    private static final double FILTER_BYTES_PER_ROW = 10.0 / 8;
    /** Info, footer, index and stats framing. */
    private static final int FIXED = 256;

    private SstSizeEstimate() {
    }

    /**
     * The bytes a V2 block row takes when it shares no key prefix: three varints, key, value,
     * sequence number, flags and the timestamps it has.
     */
    static long encodedRowSize(RowEntry row) {
        int keyLength = row.key().length;
        int valueLength = row.valueLength();
        long size = 1 + varIntLength(keyLength) + varIntLength(valueLength) + keyLength + (long) valueLength + 8 + 1;
        if (row.expireTs().isPresent()) {
            size += 8;
        }
        if (row.createTs().isPresent()) {
            size += 8;
        }
        return size;
    }

    /** The estimated SST size of {@code rows} rows whose encoded sizes add up to {@code rowBytes}. */
    static long sstSize(long rows, long rowBytes, long averageKeyLength) {
        if (rows == 0) {
            return 0;
        }
        long data = rowBytes + (long) Math.ceil(rows * RESTART_BYTES_PER_ROW);
        long blocks = (data + BLOCK_SIZE - 1) / BLOCK_SIZE;
        return data + blocks * (BLOCK_OVERHEAD + averageKeyLength) + (long) Math.ceil(rows * FILTER_BYTES_PER_ROW)
                + FIXED;
    }

    private static int varIntLength(int value) {
        int length = 1;
        while ((value >>>= 7) != 0) {
            length++;
        }
        return length;
    }
}
