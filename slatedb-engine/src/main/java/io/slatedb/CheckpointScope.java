package io.slatedb;

/** Which writes a checkpoint created through a writer contains. */
public enum CheckpointScope {
    /**
     * Every write issued before the call: the writer flushes its write-ahead log, freezes the
     * memtable, and adds the checkpoint in the manifest update that publishes those memtables as L0
     * SSTs.
     */
    ALL,
    /**
     * Only writes already durable in object storage: no flushing and no waiting. The checkpoint
     * also covers the WAL files not yet in L0, which readers of the checkpoint replay.
     */
    DURABLE
}
