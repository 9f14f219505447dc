package io.slatedb;

/** What an explicit flush writes to object storage. */
public enum FlushType {
    /**
     * Freeze the current write-ahead-log buffer and upload every unflushed WAL buffer; returns when
     * they are all in object storage, so every write issued before the call is durable.
     */
    WAL,
    /**
     * Flush the write-ahead log, freeze the memtable, and return when every immutable memtable has
     * been written as an L0 SST and recorded in the manifest.
     */
    MEMTABLE
}
