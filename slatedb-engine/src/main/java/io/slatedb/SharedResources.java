package io.slatedb;

import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames.SharedCache;
import io.slatedb.reader.SstCaches;
import io.slatedb.util.SharedThreads;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background threads and caches for many databases and handles in one process, so that their cost no
 * longer grows with their number: a timer, an IO pool, a compaction pool and a retry timer, and one
 * data block cache and one SST metadata cache, bounded together by
 * {@link Builder#withBlockCacheBytes} plus {@link Builder#withMetaCacheBytes}. Give it to the
 * builders: {@code Db.builder(path, store).withResources(shared)}, and likewise {@link DbReader},
 * {@link WalChangeFeed}, {@link Compactor} and {@link GarbageCollector}; a database's embedded
 * compactor and garbage collector use the database's. A handle built without it has threads and caches
 * of its own, closed with it.
 *
 * <p>Handles keep their data apart in the shared caches (each entry is keyed by the handle as well as
 * by the SST's path) and drop their entries when they close. Each handle runs at most its own share of
 * tasks on the pools at once (a database at most {@code max(2, l0_flush_parallelism)} IO tasks, a
 * compactor at most {@code max_concurrent_compactions}), and the timer thread only hands due work over
 * to the pools, so one slow database does not hold back the others' timers.
 *
 * <p>Closing a handle never closes the shared resources. {@link #close()} refuses while handles built
 * with them are open: close the handles first. The caches report their metrics ({@link SharedCache}) to
 * {@link #metrics()}. Thread-safe.
 */
public final class SharedResources implements AutoCloseable {

    private final SharedThreads threads;
    private final SstCaches caches;
    private final MetricRegistry metrics;
    private final AtomicInteger openHandles = new AtomicInteger();
    private final Object lifecycle = new Object();
    private boolean closed;

    private SharedResources(Builder b) {
        this.threads = new SharedThreads(b.timerThreads, b.ioThreads, b.compactionThreads);
        this.caches = new SstCaches(b.blockCacheBytes, b.metaCacheBytes);
        this.metrics = b.metrics != null ? b.metrics : new SimpleMetricRegistry();
        metrics.gauge(SharedCache.BLOCK_BYTES, "bytes the shared data block cache holds", caches::blockBytes);
        metrics.gauge(SharedCache.BLOCK_CAPACITY_BYTES, "the shared data block cache's budget",
                caches::blockCapacityBytes);
        metrics.gauge(SharedCache.BLOCK_HITS, "shared data block cache hits", () -> caches.blockCounters().hits());
        metrics.gauge(SharedCache.BLOCK_MISSES, "shared data block cache misses",
                () -> caches.blockCounters().misses());
        metrics.gauge(SharedCache.META_BYTES, "bytes the shared SST metadata cache holds", caches::metaBytes);
        metrics.gauge(SharedCache.META_CAPACITY_BYTES, "the shared SST metadata cache's budget",
                caches::metaCapacityBytes);
        metrics.gauge(SharedCache.META_HITS, "shared SST metadata cache hits", () -> caches.metaCounters().hits());
        metrics.gauge(SharedCache.META_MISSES, "shared SST metadata cache misses",
                () -> caches.metaCounters().misses());
        metrics.gauge(SharedCache.OPEN_HANDLES, "handles open on the shared resources", openHandles::get);
    }

    /** A builder with the defaults given on each of its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the shared caches report their metrics. */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** Bytes the data block cache and the metadata cache hold now, together; never above {@link #cacheCapacityBytes()}. */
    public long cachedBytes() {
        return caches.blockBytes() + caches.metaBytes();
    }

    /** The caches' total budget: block cache bytes plus metadata cache bytes. */
    public long cacheCapacityBytes() {
        return caches.blockCapacityBytes() + caches.metaCapacityBytes();
    }

    /** Handles built with these resources and not yet closed. */
    public int openHandles() {
        return openHandles.get();
    }

    /**
     * Stops the threads and empties the caches. Idempotent.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} while handles built with these resources
     *                          are open; the resources then stay usable
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            int open = openHandles.get();
            if (open > 0) {
                throw new SlateDbException(ErrorKind.INVALID, "the shared resources are in use by " + open
                        + " open handles; close them first");
            }
            closed = true;
        }
        threads.close();
    }

    /** Counts a handle in; every {@link #acquire} is followed by one {@link #release} when the handle closes. */
    void acquire() {
        synchronized (lifecycle) {
            if (closed) {
                throw SlateDbException.closed(CloseReason.CLEAN, "the shared resources are closed");
            }
            openHandles.incrementAndGet();
        }
    }

    void release() {
        openHandles.decrementAndGet();
    }

    SharedThreads threads() {
        return threads;
    }

    SstCaches caches() {
        return caches;
    }

    /**
     * Sizes of {@link SharedResources}. Not thread-safe; build once.
     */
    public static final class Builder {
        private int timerThreads = 1;
        private int ioThreads = 8;
        private int compactionThreads = 2;
        private long blockCacheBytes = 512L << 20;
        private long metaCacheBytes = 128L << 20;
        private MetricRegistry metrics;

        private Builder() {
        }

        /** Threads that wait out delays and hand due tasks to the pools; default 1. */
        public Builder withTimerThreads(int threads) {
            this.timerThreads = positive(threads, "timer threads");
            return this;
        }

        /** Threads for WAL and L0 flushes, manifest polls and reader work; default 8. */
        public Builder withIoThreads(int threads) {
            this.ioThreads = positive(threads, "IO threads");
            return this;
        }

        /** Threads for compactions and garbage collection; default 2. */
        public Builder withCompactionThreads(int threads) {
            this.compactionThreads = positive(threads, "compaction threads");
            return this;
        }

        /** Budget of the data block cache (decoded bytes) for all handles; default 512 MiB; 0 disables it. */
        public Builder withBlockCacheBytes(long bytes) {
            this.blockCacheBytes = notNegative(bytes, "block cache bytes");
            return this;
        }

        /** Budget of the SST metadata cache (indexes, filters) for all handles; default 128 MiB. */
        public Builder withMetaCacheBytes(long bytes) {
            this.metaCacheBytes = notNegative(bytes, "metadata cache bytes");
            return this;
        }

        /** Where the caches report their metrics; default a new {@link SimpleMetricRegistry}. */
        public Builder withMetrics(MetricRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Starts the threads. */
        public SharedResources build() {
            return new SharedResources(this);
        }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new SlateDbException(ErrorKind.INVALID, what + " must be at least 1, got " + value);
            }
            return value;
        }

        private static long notNegative(long value, String what) {
            if (value < 0) {
                throw new SlateDbException(ErrorKind.INVALID, what + " must not be negative, got " + value);
            }
            return value;
        }
    }
}
