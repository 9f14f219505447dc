package io.slatedb;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults are SlateDB's: one assertion per option. */
class SettingsDefaultsTest {
    private static final Settings S = Settings.DEFAULT;
    private static final CompactorOptions C = S.compactorOptions();
    private static final GarbageCollectorOptions GC = S.garbageCollectorOptions();

    @Test
    void flushInterval() {
        assertEquals(Duration.ofMillis(100), S.flushInterval());
    }

    @Test
    void manifestPollInterval() {
        assertEquals(Duration.ofSeconds(1), S.manifestPollInterval());
    }

    @Test
    void manifestUpdateTimeout() {
        assertEquals(Duration.ofSeconds(300), S.manifestUpdateTimeout());
    }

    @Test
    void minFilterKeys() {
        assertEquals(1000, S.minFilterKeys());
    }

    @Test
    void l0SstSizeBytes() {
        assertEquals(67_108_864L, S.l0SstSizeBytes());
    }

    @Test
    void maxWalFlushesBeforeL0Flush() {
        assertEquals(4096L, S.maxWalFlushesBeforeL0Flush());
    }

    @Test
    void l0MaxSsts() {
        assertEquals(8, S.l0MaxSsts());
    }

    @Test
    void l0MaxSstsPerKey() {
        assertEquals(8, S.l0MaxSstsPerKey());
    }

    @Test
    void l0FlushParallelism() {
        assertEquals(4, S.l0FlushParallelism());
    }

    @Test
    void maxUnflushedBytes() {
        assertEquals(1_073_741_824L, S.maxUnflushedBytes());
    }

    @Test
    void compressionCodec() {
        assertEquals(CompressionCodec.NONE, S.compressionCodec());
    }

    @Test
    void defaultTtlMillis() {
        assertNull(S.defaultTtlMillis());
    }

    @Test
    void objectStoreMaxRetries() {
        assertNull(S.objectStoreMaxRetries());
    }

    @Test
    void compactorPollInterval() {
        assertEquals(Duration.ofSeconds(5), C.pollInterval());
    }

    @Test
    void compactorManifestUpdateTimeout() {
        assertEquals(Duration.ofSeconds(300), C.manifestUpdateTimeout());
    }

    @Test
    void compactorMaxConcurrentCompactions() {
        assertEquals(4, C.maxConcurrentCompactions());
    }

    @Test
    void compactorMaxSstSize() {
        assertEquals(268_435_456L, C.maxSstSize());
    }

    @Test
    void compactorMinCompactionSources() {
        assertEquals(4, C.minCompactionSources());
    }

    @Test
    void compactorMaxCompactionSources() {
        assertEquals(8, C.maxCompactionSources());
    }

    @Test
    void compactorIncludeSizeThreshold() {
        assertEquals(4.0, C.includeSizeThreshold());
    }

    @Test
    void gcManifestOptions() {
        assertEquals(new GarbageCollectorDirectoryOptions(Duration.ofSeconds(600), Duration.ofSeconds(300), false),
                GC.manifestOptions());
    }

    @Test
    void gcWalOptions() {
        assertEquals(new GarbageCollectorDirectoryOptions(Duration.ofSeconds(600), Duration.ofSeconds(300), false),
                GC.walOptions());
    }

    @Test
    void gcWalFenceOptionsAreADryRun() {
        assertEquals(new GarbageCollectorDirectoryOptions(Duration.ofSeconds(600), Duration.ofSeconds(300), true),
                GC.walFenceOptions());
    }

    @Test
    void gcCompactedOptions() {
        assertEquals(new GarbageCollectorDirectoryOptions(Duration.ofSeconds(600), Duration.ofSeconds(300), false),
                GC.compactedOptions());
    }

    @Test
    void gcCompactionsOptions() {
        assertEquals(new GarbageCollectorDirectoryOptions(Duration.ofSeconds(600), Duration.ofSeconds(300), false),
                GC.compactionsOptions());
    }

    @Test
    void gcDetachOptions() {
        assertEquals(Duration.ofSeconds(600), GC.detachOptions().interval());
    }

    @Test
    void gcBoundaryFilesEnabled() {
        assertTrue(GC.boundaryFilesEnabled());
    }

    @Test
    void sstBlockSize() {
        assertEquals(4096, S.sstBlockSize());
    }

    @Test
    void filterBitsPerKey() {
        assertEquals(10, S.filterBitsPerKey());
    }

    @Test
    void blockCacheBytes() {
        assertEquals(536_870_912L, S.blockCacheBytes());
    }

    @Test
    void metaCacheBytes() {
        assertEquals(134_217_728L, S.metaCacheBytes());
    }

    @Test
    void theBuilderStartsFromTheDefaults() {
        assertEquals(S, Settings.builder().build());
        assertEquals(S, Settings.fromMap(Map.of()));
        assertEquals(C, CompactorOptions.builder().build());
        assertEquals(GC, GarbageCollectorOptions.builder().build());
        assertEquals(GarbageCollectorDirectoryOptions.DEFAULT, GarbageCollectorDirectoryOptions.builder().build());
        assertEquals(GarbageCollectorScheduleOptions.DEFAULT, GarbageCollectorScheduleOptions.builder().build());
        assertFalse(GarbageCollectorDirectoryOptions.DEFAULT.dryRun());
    }

    @Test
    void theDefaultsAsText() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("flush_interval", "100ms");
        expected.put("manifest_poll_interval", "1s");
        expected.put("manifest_update_timeout", "5m");
        expected.put("min_filter_keys", "1000");
        expected.put("l0_sst_size_bytes", "67108864");
        expected.put("max_wal_flushes_before_l0_flush", "4096");
        expected.put("l0_max_ssts", "8");
        expected.put("l0_max_ssts_per_key", "8");
        expected.put("l0_flush_parallelism", "4");
        expected.put("max_unflushed_bytes", "1073741824");
        expected.put("compression_codec", "none");
        expected.put("default_ttl_millis", "none");
        expected.put("object_store_max_retries", "none");
        expected.put("compactor_options.poll_interval", "5s");
        expected.put("compactor_options.manifest_update_timeout", "5m");
        expected.put("compactor_options.max_concurrent_compactions", "4");
        expected.put("compactor_options.max_sst_size", "268435456");
        expected.put("compactor_options.scheduler_options.min_compaction_sources", "4");
        expected.put("compactor_options.scheduler_options.max_compaction_sources", "8");
        expected.put("compactor_options.scheduler_options.include_size_threshold", "4.0");
        expected.put("compactor_options.enable_trivial_move", "false");
        expected.put("compactor_options.max_fetch_tasks", "4");
        expected.put("compactor_options.bytes_to_fetch", "2097152");
        for (String task : new String[] {"manifest_options", "wal_options", "wal_fence_options", "compacted_options",
                "compactions_options"}) {
            expected.put("garbage_collector_options." + task + ".interval", "10m");
            expected.put("garbage_collector_options." + task + ".min_age", "5m");
            expected.put("garbage_collector_options." + task + ".dry_run", String.valueOf(task.equals("wal_fence_options")));
        }
        expected.put("garbage_collector_options.detach_options.interval", "10m");
        expected.put("garbage_collector_options.boundary_files_enabled", "true");
        expected.put("sst_block_size", "4096");
        expected.put("filter_bits_per_key", "10");
        expected.put("block_cache_bytes", "536870912");
        expected.put("meta_cache_bytes", "134217728");
        assertEquals(expected, S.toMap());
        assertEquals(new java.util.ArrayList<>(expected.keySet()), new java.util.ArrayList<>(S.toMap().keySet()));
    }
}
