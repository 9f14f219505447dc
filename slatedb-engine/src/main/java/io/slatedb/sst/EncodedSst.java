package io.slatedb.sst;

import java.util.Objects;
import java.util.Optional;

/**
 * A finished SST: the object's bytes and the metadata a writer records for it (the info goes into the
 * manifest; the format version into the manifest's SST entry).
 */
public final class EncodedSst {
    private final byte[] bytes;
    private final SstInfo info;
    private final BlockFormat blockFormat;
    private final SstIndex index;
    private final SstStats stats;
    private final long rowCount;

    EncodedSst(byte[] bytes, SstInfo info, BlockFormat blockFormat, SstIndex index, SstStats stats, long rowCount) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.info = Objects.requireNonNull(info, "info");
        this.blockFormat = Objects.requireNonNull(blockFormat, "blockFormat");
        this.index = Objects.requireNonNull(index, "index");
        this.stats = stats;
        this.rowCount = rowCount;
    }

    /** The object's bytes; not copied, not to be changed. */
    public byte[] bytes() {
        return bytes;
    }

    public SstInfo info() {
        return info;
    }

    /** The SST format version written in the footer (and stored in manifest entries). */
    public int formatVersion() {
        return blockFormat.sstFormatVersion();
    }

    public BlockFormat blockFormat() {
        return blockFormat;
    }

    public SstIndex index() {
        return index;
    }

    /** The stats block's content, present for compacted SSTs. */
    public Optional<SstStats> stats() {
        return Optional.ofNullable(stats);
    }

    /** The number of rows. */
    public long rowCount() {
        return rowCount;
    }

    /** The layout a reader of these bytes at {@code path} would find. */
    public SstLayout layout(String path) {
        return new SstLayout(path, bytes.length, blockFormat, info, index);
    }
}
