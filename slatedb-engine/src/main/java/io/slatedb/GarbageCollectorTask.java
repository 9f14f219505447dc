package io.slatedb;

/** The kinds of object the collector deletes, in the order {@link GarbageCollector#runOnce} runs them. */
public enum GarbageCollectorTask {
    /** {@code manifest/*.manifest}; {@code manifest_options}. */
    MANIFEST,
    /** Non-empty {@code wal/*.sst}; {@code wal_options}. */
    WAL,
    /** Empty {@code wal/*.sst} fences; {@code wal_fence_options}. */
    WAL_FENCE,
    /** {@code compacted/*.sst}; {@code compacted_options}. */
    COMPACTED,
    /** {@code compactions/*.compactions}; {@code compactions_options}. */
    COMPACTIONS,
    /**
     * A clone's hold on the databases it no longer reads SSTs from: its pin checkpoint there and its
     * {@code external_dbs} entry; {@code detach_options}. Its result lists those databases' root paths.
     */
    DETACH
}
