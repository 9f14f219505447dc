package io.slatedb.cli.bench;

import io.slatedb.cli.ReadSource;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.PutOptions;
import io.slatedb.ScanOptions;
import io.slatedb.Settings;
import io.slatedb.WriteOptions;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.ObjectStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * This engine's {@link Db} under the bench workloads. Reads served from the memtable run with a
 * memtable sized to hold every loaded row; reads from the store run with the block cache sized 0. The
 * counters are the database's block cache hits and misses and its object-store gets.
 */
final class SlateDbBenchEngine implements BenchEngine {

    static final String NAME = "slatedb-jvm";

    /** The counters the bench reports, by their report names (kept stable), from the database's metrics. */
    private static final String[][] COUNTERS = {
            {"cache.block.hits", SlateDbMetricNames.Db.CACHE_DATA_BLOCK_HITS},
            {"cache.block.misses", SlateDbMetricNames.Db.CACHE_DATA_BLOCK_MISSES},
            {"object_store.get.requests", "object_store.get.requests"}};

    private final ObjectStore store;
    private final String path;
    private final Settings settings;
    private Db db;
    private SimpleMetricRegistry metrics;

    /** Opens a new database at {@code path} in {@code store} with {@code settings} fitted to {@code spec}. */
    SlateDbBenchEngine(ObjectStore store, String path, Settings settings, BenchSpec spec) {
        this.store = store;
        this.path = path;
        this.settings = !spec.workload().writes() && spec.from() == ReadSource.MEMTABLE
                ? memtableHoldingAll(settings, spec) : settings;
        open(this.settings);
    }

    /**
     * {@code settings} with an L0 size (at which the memtable is frozen) above twice the loaded bytes,
     * unless the settings already allow that much.
     */
    static Settings memtableHoldingAll(Settings settings, BenchSpec spec) {
        long l0 = 2 * spec.datasetBytes() + (64L << 20);
        if (settings.l0SstSizeBytes() >= l0) {
            return settings;
        }
        return settings.withOverrides(Map.of("l0_sst_size_bytes", Long.toString(l0),
                "max_unflushed_bytes", Long.toString(Math.max(settings.maxUnflushedBytes(), 2 * l0))));
    }

    private void open(Settings with) {
        metrics = new SimpleMetricRegistry();
        db = Db.builder(path, store).withSettings(with).withMetrics(metrics).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void put(byte[] key, byte[] value, boolean durable) {
        db.put(key, value, PutOptions.DEFAULT, durable ? WriteOptions.DEFAULT : WriteOptions.NO_AWAIT);
    }

    @Override
    public boolean get(byte[] key) {
        return db.get(key) != null;
    }

    @Override
    public void scan(long readAheadBytes, int fetchTasks, IntConsumer rowBytes) {
        scan(ScanOptions.builder().readAheadBytes(readAheadBytes).maxFetchTasks(fetchTasks).build(), rowBytes);
    }

    private void scan(ScanOptions options, IntConsumer rowBytes) {
        try (DbIterator rows = db.scan(null, null, options)) {
            while (rows.hasNext()) {
                KeyValue row = rows.next();
                rowBytes.accept(row.key().length + row.value().length);
            }
        }
    }

    @Override
    public void flushWrites() {
        db.flush(FlushType.WAL);
    }

    @Override
    public void arrange(ReadSource source) {
        if (source == ReadSource.MEMTABLE) {
            return;
        }
        // Closing flushes the memtable to L0; the reopened database starts with an empty memtable
        // and, for the store, no block cache.
        db.close();
        open(source == ReadSource.STORE ? settings.withOverrides(Map.of("block_cache_bytes", "0")) : settings);
        if (source == ReadSource.CACHE) {
            scan(ScanOptions.builder().cacheBlocks(true).build(), bytes -> { });
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> snapshot = metrics.snapshot();
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String[] counter : COUNTERS) {
            counters.put(counter[0], snapshot.getOrDefault(counter[1], 0L));
        }
        return counters;
    }

    @Override
    public void close() {
        db.close();
    }
}
