package io.slatedb.flink.bench;

import io.slatedb.flink.SlateDbStateBackend;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;

import java.nio.file.Path;

/**
 * The state backends compared, each configured with the same block cache and without managed memory, so a
 * state size is "in memory" or "ten times the cache" alike for both databases.
 */
public enum BackendKind {
    SLATEDB {
        @Override
        StateBackend create(Path dir, long blockCacheBytes) {
            SlateDbStateBackend backend = new SlateDbStateBackend();
            backend.setStore("file://" + dir.resolve("store").toAbsolutePath());
            backend.setUseManagedMemory(false);
            backend.setEngineSetting("block_cache_bytes", Long.toString(blockCacheBytes));
            return backend;
        }
    },
    ROCKSDB {
        @Override
        StateBackend create(Path dir, long blockCacheBytes) {
            Configuration config = new Configuration();
            config.set(RocksDBOptions.USE_MANAGED_MEMORY, false);
            config.set(RocksDBConfigurableOptions.BLOCK_CACHE_SIZE, new MemorySize(blockCacheBytes));
            // Incremental checkpoints: RocksDB's closest counterpart of a checkpoint that copies nothing.
            EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(true)
                    .configure(config, BackendKind.class.getClassLoader());
            backend.setDbStoragePath(dir.resolve("rocksdb").toAbsolutePath().toString());
            return backend;
        }
    },
    HEAP {
        @Override
        StateBackend create(Path dir, long blockCacheBytes) {
            return new HashMapStateBackend();
        }
    };

    /** A configured backend keeping its files under {@code dir}. */
    abstract StateBackend create(Path dir, long blockCacheBytes);
}
