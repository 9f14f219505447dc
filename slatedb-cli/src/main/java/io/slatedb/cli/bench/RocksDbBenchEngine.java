package io.slatedb.cli.bench;

import io.slatedb.cli.ReadSource;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * RocksDB (through rocksdbjni) under the bench workloads, in a temporary local directory deleted on
 * close, configured like this engine's defaults: 64 MiB write buffers, 4 KiB blocks with a 10-bit
 * bloom filter, no compression, a 512 MiB block cache (none for reads from the store, which then
 * come from the files, through the operating system's page cache). A durable write is a synced one.
 */
final class RocksDbBenchEngine implements BenchEngine {

    static final String NAME = "rocksdb";

    private static final long BLOCK_CACHE_BYTES = 512L << 20;

    private final Path directory;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions plainWrites = new WriteOptions();
    private final ReadOptions reads = new ReadOptions();
    private Options options;
    private LRUCache cache;
    private RocksDB db;

    /**
     * Loads RocksDB's native library.
     *
     * @throws IllegalStateException with the reason when it cannot be loaded on this machine
     */
    static void loadLibrary() {
        try {
            RocksDB.loadLibrary();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("RocksDB's native library does not load here: " + e.getMessage(), e);
        }
    }

    RocksDbBenchEngine(BenchSpec spec) {
        loadLibrary();
        try {
            this.directory = Files.createTempDirectory("slatedb-bench-rocksdb");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for RocksDB", e);
        }
        boolean memtableHoldsAll = !spec.workload().writes() && spec.from() == ReadSource.MEMTABLE;
        open(memtableHoldsAll ? 2 * spec.datasetBytes() + (64L << 20) : 64L << 20, true);
    }

    private void open(long writeBufferBytes, boolean blockCache) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockSize(4096)
                .setFilterPolicy(new BloomFilter(10));
        if (blockCache) {
            cache = new LRUCache(BLOCK_CACHE_BYTES);
            table.setBlockCache(cache);
        } else {
            table.setNoBlockCache(true);
        }
        options = new Options().setCreateIfMissing(true).setWriteBufferSize(writeBufferBytes)
                .setCompressionType(CompressionType.NO_COMPRESSION).setTableFormatConfig(table);
        try {
            db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB did not open " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void put(byte[] key, byte[] value, boolean durable) {
        try {
            db.put(durable ? syncWrites : plainWrites, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB put failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean get(byte[] key) {
        try {
            return db.get(reads, key) != null;
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB get failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void scan(long readAheadBytes, int fetchTasks, IntConsumer rowBytes) {
        try (ReadOptions scanOptions = new ReadOptions().setFillCache(false).setReadaheadSize(readAheadBytes)) {
            scan(scanOptions, rowBytes);
        }
    }

    private void scan(ReadOptions scanOptions, IntConsumer rowBytes) {
        try (RocksIterator rows = db.newIterator(scanOptions)) {
            for (rows.seekToFirst(); rows.isValid(); rows.next()) {
                rowBytes.accept(rows.key().length + rows.value().length);
            }
        }
    }

    @Override
    public void flushWrites() {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB WAL flush failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void arrange(ReadSource source) {
        if (source == ReadSource.MEMTABLE) {
            return;
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB flush failed: " + e.getMessage(), e);
        }
        closeDb();
        open(64L << 20, source == ReadSource.CACHE);
        if (source == ReadSource.CACHE) {
            try (ReadOptions warm = new ReadOptions().setFillCache(true)) {
                scan(warm, bytes -> { });
            }
        }
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    private void closeDb() {
        db.close();
        options.close();
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    @Override
    public void close() {
        closeDb();
        syncWrites.close();
        plainWrites.close();
        reads.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete RocksDB's directory " + directory, e);
        }
    }
}
