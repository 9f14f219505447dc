package io.slatedb.flink.bench;

/**
 * The state sizes the state benchmarks load, as bytes of values. The block cache of both databases is
 * {@link #BLOCK_CACHE_BYTES}; the engines' memtables (64 MiB by default) hold {@link #MEMTABLE} whole.
 */
public enum StateSize {
    /** A few entries: only for the smoke test that keeps the benchmarks compiling and running. */
    TINY(16 * 1024),
    /** 1 MiB: fits the memtable. */
    MEMTABLE(1024 * 1024),
    /** Ten times the block cache. */
    TEN_X_CACHE(10 * StateSize.BLOCK_CACHE_BYTES);

    /** The block cache given to the SlateDB and RocksDB backends in the state benchmarks. */
    public static final long BLOCK_CACHE_BYTES = 4L * 1024 * 1024;

    final long bytes;

    StateSize(long bytes) {
        this.bytes = bytes;
    }
}
