package io.slatedb.reader;

import io.slatedb.sst.SstInfo;

import java.util.Arrays;

/**
 * Compares a manifest's record of an SST with the SST's own footer. SlateDB copies the footer's info
 * into the manifest, so any difference means one of the two objects is damaged; reads must not trust
 * the manifest's key range of an SST before this comparison passed.
 */
final class SstRecords {
    private SstRecords() {
    }

    /** What differs between the manifest's {@code recorded} info and the SST's {@code actual} one, or null. */
    static String mismatch(SstInfo recorded, SstInfo actual) {
        if (!Arrays.equals(recorded.firstEntry(), actual.firstEntry())) {
            return "the first key differs";
        }
        if (recorded.lastEntry() != null && !Arrays.equals(recorded.lastEntry(), actual.lastEntry())) {
            return "the last key differs";
        }
        if (recorded.indexOffset() != actual.indexOffset() || recorded.indexLength() != actual.indexLength()
                || recorded.filterOffset() != actual.filterOffset() || recorded.filterLength() != actual.filterLength()
                || recorded.statsOffset() != actual.statsOffset() || recorded.statsLength() != actual.statsLength()) {
            return "the block offsets or lengths differ";
        }
        if (recorded.compression() != actual.compression() || recorded.type() != actual.type()
                || recorded.filterFormat() != actual.filterFormat()) {
            return "the codec, type or filter format differs";
        }
        return null;
    }
}
