package io.slatedb.metrics;

/**
 * The names under which each handle publishes its metrics, one nested class per component. Where
 * SlateDB has a metric, the name is SlateDB's ({@code slatedb.<component>.<metric>}); SlateDB's labels
 * become trailing name segments in label order, as this registry has no labels (SlateDB's
 * {@code slatedb.db.request_count{op=get}} is {@code slatedb.db.request_count.get}). Metrics SlateDB
 * does not have follow the same pattern. Each handle registers in its own registry by default; handles
 * that share one registry should be of different components, as two handles of one component would
 * publish under the same names (a counter is then shared, a gauge reads the first handle only).
 */
public final class SlateDbMetricNames {
    private SlateDbMetricNames() {
    }

    /** A writer's ({@code io.slatedb.Db}) metrics. */
    public static final class Db {
        /** Counter: write batches applied (a single put or delete is a batch of one). */
        public static final String WRITE_BATCH_COUNT = "slatedb.db.write_batch_count";
        /** Counter: keys put or deleted. */
        public static final String WRITE_OPS = "slatedb.db.write_ops";
        /** Counter: keys put. */
        public static final String PUT_COUNT = "slatedb.db.put_count";
        /** Counter: keys deleted. */
        public static final String DELETE_COUNT = "slatedb.db.delete_count";
        /** Counter: key and value bytes written into memtables. */
        public static final String MEMTABLE_WRITE_BYTES = "slatedb.db.memtable_write_bytes";
        /** Counter: point reads. */
        public static final String GET_REQUESTS = "slatedb.db.request_count.get";
        /** Counter: scans started. */
        public static final String SCAN_REQUESTS = "slatedb.db.request_count.scan";
        /** Counter: WAL files written. */
        public static final String WAL_BUFFER_FLUSHES = "slatedb.db.wal_buffer_flushes";
        /** Counter: bytes of WAL files written. */
        public static final String WAL_FLUSH_BYTES = "slatedb.db.wal_flush_bytes";
        /** Counter: memtables frozen for an L0 flush. */
        public static final String MEMTABLE_FREEZES = "slatedb.db.memtable_freeze_count";
        /** Counter: L0 SSTs written and listed in the manifest. */
        public static final String IMMUTABLE_MEMTABLE_FLUSHES = "slatedb.db.immutable_memtable_flushes";
        /** Counter: bytes of L0 SSTs written. */
        public static final String L0_FLUSH_BYTES = "slatedb.db.l0_flush_bytes";
        /** Gauge: bytes in memtables and WAL buffers not yet in object storage. */
        public static final String UNFLUSHED_BYTES = "slatedb.db.unflushed_bytes";
        /** Gauge: frozen memtables waiting for their L0 flush. */
        public static final String IMMUTABLE_MEMTABLE_COUNT = "slatedb.db.immutable_memtable_count";
        /** Gauge: L0 SSTs in the manifest. */
        public static final String L0_SST_COUNT = "slatedb.db.l0_sst_count";
        /** Gauge: sorted runs in the manifest. */
        public static final String SORTED_RUN_COUNT = "slatedb.db.sorted_run_count";
        /** Gauge: the last sequence number assigned. */
        public static final String LAST_SEQ = "slatedb.db.last_seq";
        /** Gauge: the highest sequence number durable in object storage. */
        public static final String DURABLE_SEQ = "slatedb.db.durable_seq";
        /** Gauge: writes that had to wait for memory to be flushed. */
        public static final String BACKPRESSURE_COUNT = "slatedb.db.backpressure_count";
        /** Gauge: data block cache hits of this database. */
        public static final String CACHE_DATA_BLOCK_HITS = "slatedb.db_cache.access_count.data_block.hit";
        /** Gauge: data block cache misses of this database. */
        public static final String CACHE_DATA_BLOCK_MISSES = "slatedb.db_cache.access_count.data_block.miss";
        /** Gauge: SST metadata (index and filter) cache hits of this database. */
        public static final String CACHE_META_HITS = "slatedb.db_cache.access_count.meta.hit";
        /** Gauge: SST metadata (index and filter) cache misses of this database. */
        public static final String CACHE_META_MISSES = "slatedb.db_cache.access_count.meta.miss";

        private Db() {
        }
    }

    /** A reader's ({@code io.slatedb.DbReader}) metrics. */
    public static final class DbReader {
        /** Counter: point reads. */
        public static final String GET_REQUESTS = "slatedb.db_reader.request_count.get";
        /** Counter: scans started. */
        public static final String SCAN_REQUESTS = "slatedb.db_reader.request_count.scan";
        /** Counter: manifest polls that completed. */
        public static final String POLLS = "slatedb.db_reader.poll_count";
        /** Counter: manifest polls that failed (retried at the next interval). */
        public static final String POLL_FAILURES = "slatedb.db_reader.poll_failure_count";
        /** Gauge: the id of the manifest the reader reads. */
        public static final String MANIFEST_ID = "slatedb.db_reader.manifest_id";
        /** Gauge: the highest sequence number the reader sees. */
        public static final String MAX_SEQ = "slatedb.db_reader.max_seq";
        /** Gauge: data block cache hits of this reader. */
        public static final String CACHE_DATA_BLOCK_HITS = "slatedb.db_reader.cache.access_count.data_block.hit";
        /** Gauge: data block cache misses of this reader. */
        public static final String CACHE_DATA_BLOCK_MISSES = "slatedb.db_reader.cache.access_count.data_block.miss";
        /** Gauge: SST metadata cache hits of this reader. */
        public static final String CACHE_META_HITS = "slatedb.db_reader.cache.access_count.meta.hit";
        /** Gauge: SST metadata cache misses of this reader. */
        public static final String CACHE_META_MISSES = "slatedb.db_reader.cache.access_count.meta.miss";

        private DbReader() {
        }
    }

    /** A compactor's metrics, standalone or embedded in a writer (then in the writer's registry). */
    public static final class Compactor {
        /** Gauge: bytes of output SSTs written by compactions. */
        public static final String BYTES_COMPACTED = "slatedb.compactor.bytes_compacted";
        /** Gauge: compactions running now. */
        public static final String RUNNING_COMPACTIONS = "slatedb.compactor.running_compactions";
        /** Gauge: when the last compaction was committed, in seconds since the epoch; 0 before the first. */
        public static final String LAST_COMPACTION_TIMESTAMP_SEC = "slatedb.compactor.last_compaction_timestamp_sec";
        /** Gauge: compactions committed. */
        public static final String COMPACTIONS = "slatedb.compactor.compaction_count";

        private Compactor() {
        }
    }

    /** A garbage collector's metrics, standalone or embedded in a writer (then in the writer's registry). */
    public static final class GarbageCollector {
        /** Counter: objects deleted, per kind: this prefix, a dot and the task (manifest, wal, ...). */
        public static final String DELETED_COUNT_PREFIX = "slatedb.gc.deleted_count";
        /** Counter: manifests deleted. */
        public static final String DELETED_MANIFESTS = DELETED_COUNT_PREFIX + ".manifest";
        /** Counter: WAL SSTs deleted. */
        public static final String DELETED_WAL = DELETED_COUNT_PREFIX + ".wal";
        /** Counter: empty WAL fence objects deleted. */
        public static final String DELETED_WAL_FENCES = DELETED_COUNT_PREFIX + ".wal_fence";
        /** Counter: compacted SSTs deleted. */
        public static final String DELETED_COMPACTED = DELETED_COUNT_PREFIX + ".compacted";
        /** Counter: {@code .compactions} files deleted. */
        public static final String DELETED_COMPACTIONS = DELETED_COUNT_PREFIX + ".compactions";
        /** Counter: databases a clone detached from. */
        public static final String DELETED_DETACH = DELETED_COUNT_PREFIX + ".detach";
        /** Counter: task runs (dry runs included). */
        public static final String RUNS = "slatedb.gc.count";

        private GarbageCollector() {
        }
    }

    /** A WAL change feed's ({@code io.slatedb.WalChangeFeed}) metrics. */
    public static final class WalChangeFeed {
        /** Counter: batches (WAL files) delivered. */
        public static final String BATCHES = "slatedb.wal_change_feed.batch_count";
        /** Counter: rows delivered. */
        public static final String ROWS = "slatedb.wal_change_feed.row_count";
        /** Counter: looks for the next WAL file that found none. */
        public static final String EMPTY_POLLS = "slatedb.wal_change_feed.empty_poll_count";
        /** Gauge: the id of the next WAL file to deliver. */
        public static final String NEXT_WAL_ID = "slatedb.wal_change_feed.next_wal_id";
        /**
         * Gauge: the lag in milliseconds, now minus the creation time of the newest row delivered; 0
         * while caught up (the last look found no newer file) or before the first row.
         */
        public static final String LAG_MILLIS = "slatedb.wal_change_feed.lag_millis";

        private WalChangeFeed() {
        }
    }

    /** The metrics of {@code io.slatedb.SharedResources}' caches, all handles together. */
    public static final class SharedCache {
        /** Gauge: bytes the data block cache holds. */
        public static final String BLOCK_BYTES = "slatedb.shared.db_cache.data_block.bytes";
        /** Gauge: the data block cache's budget in bytes. */
        public static final String BLOCK_CAPACITY_BYTES = "slatedb.shared.db_cache.data_block.capacity_bytes";
        /** Gauge: data block cache hits. */
        public static final String BLOCK_HITS = "slatedb.shared.db_cache.access_count.data_block.hit";
        /** Gauge: data block cache misses. */
        public static final String BLOCK_MISSES = "slatedb.shared.db_cache.access_count.data_block.miss";
        /** Gauge: bytes the SST metadata cache holds. */
        public static final String META_BYTES = "slatedb.shared.db_cache.meta.bytes";
        /** Gauge: the SST metadata cache's budget in bytes. */
        public static final String META_CAPACITY_BYTES = "slatedb.shared.db_cache.meta.capacity_bytes";
        /** Gauge: SST metadata cache hits. */
        public static final String META_HITS = "slatedb.shared.db_cache.access_count.meta.hit";
        /** Gauge: SST metadata cache misses. */
        public static final String META_MISSES = "slatedb.shared.db_cache.access_count.meta.miss";
        /** Gauge: handles open on the shared resources. */
        public static final String OPEN_HANDLES = "slatedb.shared.open_handles";

        private SharedCache() {
        }
    }
}
