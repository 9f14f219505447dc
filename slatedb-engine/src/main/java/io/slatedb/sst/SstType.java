package io.slatedb.sst;

/** Whether an SST holds WAL rows (in sequence order) or compacted rows (in key order). */
public enum SstType {
    COMPACTED,
    WAL
}
