package io.slatedb.sst;

import java.util.Arrays;
import java.util.List;

/** The expected answers of a compacted SST, computed from its sorted rows. */
final class SstModel {
    private final List<RowEntry> rows;

    SstModel(List<RowEntry> rows) {
        this.rows = rows;
    }

    /** The newest row of {@code key} with a sequence number at most {@code maxSeq}, or null. */
    RowEntry get(byte[] key, long maxSeq) {
        for (RowEntry row : rows) {
            if (Arrays.equals(row.key(), key) && Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                return row;
            }
        }
        return null;
    }

    List<RowEntry> scan(KeyRange range) {
        return rows.stream().filter(r -> range.contains(r.key())).toList();
    }
}
