package io.slatedb.manifest;

import io.slatedb.format.Ulid;
import io.slatedb.sst.SstInfo;

import java.util.Objects;

/**
 * A physical SST in the {@code compacted/} directory: its id (which names the object), its footer's
 * description of itself, and the SST format version its blocks are written in.
 *
 * @param formatVersion the SST block format version, 1 to 65535; manifests that omit it mean 1
 */
public record CompactedSst(Ulid id, SstInfo info, int formatVersion) {

    /** The format version of SSTs listed without one (written before the field existed). */
    public static final int DEFAULT_FORMAT_VERSION = 1;

    public CompactedSst {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(info, "info");
        if (formatVersion < 0 || formatVersion > 0xFFFF) {
            throw new IllegalArgumentException("SST format version is a u16: " + formatVersion);
        }
    }
}
