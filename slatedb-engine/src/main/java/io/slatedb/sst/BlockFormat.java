package io.slatedb.sst;

import io.slatedb.format.FormatException;

/**
 * The layout of an SST's data blocks, fixed by the SST format version in the footer's last two bytes.
 */
public enum BlockFormat {
    /**
     * SST format version 1: {@code rows | u16 offset per row | u16 row count}, rows in the V0 codec
     * sharing key prefixes with the block's first key. Read support only.
     */
    V1(1),
    /**
     * SST format version 2: {@code rows | u16 restart offsets | u16 restart count}, rows in the V2
     * codec sharing key prefixes with the previous row, a restart point (no sharing) every
     * {@value BlockBuilder#RESTART_INTERVAL} rows.
     */
    V2(2);

    private final int sstFormatVersion;

    BlockFormat(int sstFormatVersion) {
        this.sstFormatVersion = sstFormatVersion;
    }

    /** The SST format version stored in the footer of SSTs with this block layout. */
    public int sstFormatVersion() {
        return sstFormatVersion;
    }

    /** The block layout of SSTs with footer version {@code version}. */
    public static BlockFormat forSstVersion(int version) {
        return switch (version) {
            case 1 -> V1;
            case 2 -> V2;
            default -> throw new FormatException("unsupported SST format version " + version + " (supported: 1, 2)");
        };
    }
}
