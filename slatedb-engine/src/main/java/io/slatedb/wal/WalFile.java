package io.slatedb.wal;

import io.slatedb.sst.RowEntry;

import java.util.List;

/** The rows of one WAL file in sequence order; none for a fence. */
public record WalFile(long id, List<RowEntry> rows) {
    public WalFile {
        rows = List.copyOf(rows);
    }

    /** The sequence number of the last row, or -1 when the file holds none. */
    public long lastSeq() {
        return rows.isEmpty() ? -1 : rows.get(rows.size() - 1).seq();
    }
}
