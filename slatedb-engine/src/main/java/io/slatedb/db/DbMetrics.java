package io.slatedb.db;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;

import java.util.List;

/** The writer's instruments, created once at open from the database's {@link MetricRegistry}. */
final class DbMetrics {
    private final Counter writes;
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
        writes = registry.counter("db.write.count", "write batches applied (a put or delete is a batch of one)");
        puts = registry.counter("db.put.count", "keys put");
        deletes = registry.counter("db.delete.count", "keys deleted");
        bytesWritten = registry.counter("db.bytes_written", "key and value bytes written");
        gets = registry.counter("db.get.count", "point reads");
        scans = registry.counter("db.scan.count", "scans started");
        walFlushes = registry.counter("wal.flush.count", "WAL files written");
        walBytes = registry.counter("wal.bytes_written", "bytes of WAL files written");
        memtableFreezes = registry.counter("memtable.freeze.count", "memtables frozen for an L0 flush");
        l0Flushes = registry.counter("l0.flush.count", "L0 SSTs written and listed in the manifest");
        l0Bytes = registry.counter("l0.bytes_written", "bytes of L0 SSTs written");
        registry.gauge("db.unflushed_bytes", "bytes in memtables and WAL buffers not yet in object storage",
                db::unflushedBytes);
        registry.gauge("db.immutable_memtable.count", "frozen memtables waiting for their L0 flush",
                () -> db.state().view().immutables().size());
        registry.gauge("db.l0.sst_count", "L0 SSTs in the manifest", () -> db.state().manifest().core().l0().size());
        registry.gauge("db.sorted_run.count", "sorted runs in the manifest",
                () -> db.state().manifest().core().compacted().size());
        registry.gauge("db.last_seq", "the last sequence number assigned", db::lastSeq);
        registry.gauge("db.durable_seq", "the highest sequence number durable in object storage", db::durableSeq);
        registry.gauge("db.backpressure.stalls", "writes that had to wait for memory to be flushed",
                () -> db.backpressure().stalls());
        registry.gauge("cache.block.hits", "data block cache hits", () -> db.tables().blockCacheCounters().hits());
        registry.gauge("cache.block.misses", "data block cache misses", () -> db.tables().blockCacheCounters().misses());
        registry.gauge("cache.meta.hits", "SST metadata cache hits", () -> db.tables().metaCacheCounters().hits());
        registry.gauge("cache.meta.misses", "SST metadata cache misses", () -> db.tables().metaCacheCounters().misses());
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
