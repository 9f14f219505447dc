package io.slatedb.db;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames.Db;

import java.util.List;

/** The writer's instruments, created once at open from the database's {@link MetricRegistry}; names in {@link Db}. */
final class DbMetrics {
    private final Counter writes;
    private final Counter writeOps;
    private final Counter puts;
    private final Counter deletes;
    private final Counter bytesWritten;
    private final Counter gets;
    private final Counter scans;
    private final Counter walFlushes;
    private final Counter walBytes;
    private final Counter memtableFreezes;
    private final Counter l0Flushes;
    private final Counter l0Bytes;

    DbMetrics(MetricRegistry registry, DbCore db) {
        writes = registry.counter(Db.WRITE_BATCH_COUNT, "write batches applied (a put or delete is a batch of one)");
        writeOps = registry.counter(Db.WRITE_OPS, "keys put or deleted");
        puts = registry.counter(Db.PUT_COUNT, "keys put");
        deletes = registry.counter(Db.DELETE_COUNT, "keys deleted");
        bytesWritten = registry.counter(Db.MEMTABLE_WRITE_BYTES, "key and value bytes written");
        gets = registry.counter(Db.GET_REQUESTS, "point reads");
        scans = registry.counter(Db.SCAN_REQUESTS, "scans started");
        walFlushes = registry.counter(Db.WAL_BUFFER_FLUSHES, "WAL files written");
        walBytes = registry.counter(Db.WAL_FLUSH_BYTES, "bytes of WAL files written");
        memtableFreezes = registry.counter(Db.MEMTABLE_FREEZES, "memtables frozen for an L0 flush");
        l0Flushes = registry.counter(Db.IMMUTABLE_MEMTABLE_FLUSHES, "L0 SSTs written and listed in the manifest");
        l0Bytes = registry.counter(Db.L0_FLUSH_BYTES, "bytes of L0 SSTs written");
        registry.gauge(Db.UNFLUSHED_BYTES, "bytes in memtables and WAL buffers not yet in object storage",
                db::unflushedBytes);
        registry.gauge(Db.IMMUTABLE_MEMTABLE_COUNT, "frozen memtables waiting for their L0 flush",
                () -> db.state().view().immutables().size());
        registry.gauge(Db.L0_SST_COUNT, "L0 SSTs in the manifest", () -> db.state().manifest().core().l0().size());
        registry.gauge(Db.SORTED_RUN_COUNT, "sorted runs in the manifest",
                () -> db.state().manifest().core().compacted().size());
        registry.gauge(Db.LAST_SEQ, "the last sequence number assigned", db::lastSeq);
        registry.gauge(Db.DURABLE_SEQ, "the highest sequence number durable in object storage", db::durableSeq);
        registry.gauge(Db.BACKPRESSURE_COUNT, "writes that had to wait for memory to be flushed",
                () -> db.backpressure().stalls());
        registry.gauge(Db.CACHE_DATA_BLOCK_HITS, "data block cache hits", () -> db.tables().blockCacheCounters().hits());
        registry.gauge(Db.CACHE_DATA_BLOCK_MISSES, "data block cache misses", () -> db.tables().blockCacheCounters().misses());
        registry.gauge(Db.CACHE_META_HITS, "SST metadata cache hits", () -> db.tables().metaCacheCounters().hits());
        registry.gauge(Db.CACHE_META_MISSES, "SST metadata cache misses", () -> db.tables().metaCacheCounters().misses());
    }

    void written(List<WriteOp> ops, long bytes) {
        writes.increment();
        long putCount = 0;
        long deleteCount = 0;
        for (WriteOp op : ops) {
            if (op.isPut()) {
                putCount++;
            } else if (op.kind() == io.slatedb.sst.ValueKind.TOMBSTONE) {
                deleteCount++;
            }
        }
        writeOps.add(ops.size());
        puts.add(putCount);
        deletes.add(deleteCount);
        bytesWritten.add(bytes);
    }

    void get() {
        gets.increment();
    }

    void scan() {
        scans.increment();
    }

    void walFileWritten(long bytes) {
        walFlushes.increment();
        walBytes.add(bytes);
    }

    void memtableFrozen() {
        memtableFreezes.increment();
    }

    void l0Published(long bytes) {
        l0Flushes.increment();
        l0Bytes.add(bytes);
    }
}
