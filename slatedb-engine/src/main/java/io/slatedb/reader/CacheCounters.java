package io.slatedb.reader;

import java.util.concurrent.atomic.LongAdder;

/**
 * Hits and misses of one cache, counted per lookup (a block cache counts one lookup per block).
 * Cheap under contention; read them for tests and, later, metrics.
 */
public final class CacheCounters {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    @Override
    public String toString() {
        return "CacheCounters[hits=" + hits() + ", misses=" + misses() + "]";
    }
}
