package io.slatedb.dbreader;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames.DbReader;
import io.slatedb.reader.TableStore;

import java.util.function.LongSupplier;

/** A reader's instruments, created once at open from its {@link MetricRegistry}; names in {@link DbReader}. */
final class ReaderMetrics {
    private final Counter gets;
    private final Counter scans;
    private final Counter polls;
    private final Counter pollFailures;

    ReaderMetrics(MetricRegistry registry, TableStore tables, LongSupplier manifestId, LongSupplier maxSeq) {
        gets = registry.counter(DbReader.GET_REQUESTS, "point reads");
        scans = registry.counter(DbReader.SCAN_REQUESTS, "scans started");
        polls = registry.counter(DbReader.POLLS, "manifest polls that completed");
        pollFailures = registry.counter(DbReader.POLL_FAILURES, "manifest polls that failed");
        registry.gauge(DbReader.MANIFEST_ID, "the id of the manifest the reader reads", manifestId);
        registry.gauge(DbReader.MAX_SEQ, "the highest sequence number the reader sees", maxSeq);
        registry.gauge(DbReader.CACHE_DATA_BLOCK_HITS, "data block cache hits",
                () -> tables.blockCacheCounters().hits());
        registry.gauge(DbReader.CACHE_DATA_BLOCK_MISSES, "data block cache misses",
                () -> tables.blockCacheCounters().misses());
        registry.gauge(DbReader.CACHE_META_HITS, "SST metadata cache hits", () -> tables.metaCacheCounters().hits());
        registry.gauge(DbReader.CACHE_META_MISSES, "SST metadata cache misses",
                () -> tables.metaCacheCounters().misses());
    }

    void get() {
        gets.increment();
    }

    void scan() {
        scans.increment();
    }

    void polled() {
        polls.increment();
    }

    void pollFailed() {
        pollFailures.increment();
    }
}
