package io.slatedb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every validation rule, through the builders (names relative to the options record) and through
 * {@link Settings#fromMap} (full dotted names); each rule is also shown to accept its boundary value.
 */
class SettingsValidationTest {

    @Test
    void durationsMustBePositive() {
        for (String name : new String[] {"flush_interval", "manifest_poll_interval", "manifest_update_timeout",
                "compactor_options.poll_interval", "compactor_options.manifest_update_timeout",
                "garbage_collector_options.manifest_options.interval", "garbage_collector_options.wal_options.interval",
                "garbage_collector_options.wal_fence_options.interval",
                "garbage_collector_options.compacted_options.interval",
                "garbage_collector_options.compactions_options.interval",
                "garbage_collector_options.detach_options.interval"}) {
            rejected(Map.of(name, "0s"), name, "0s", "must be positive");
            Settings.fromMap(Map.of(name, "1ns"));
        }
        rejected(() -> Settings.builder().flushInterval(Duration.ofMillis(-1)).build(), "flush_interval",
                "must be positive");
        rejected(() -> Settings.builder().manifestPollInterval(Duration.ZERO).build(), "manifest_poll_interval",
                "must be positive");
        rejected(() -> Settings.builder().manifestUpdateTimeout(Duration.ZERO).build(), "manifest_update_timeout",
                "must be positive");
        rejected(() -> CompactorOptions.builder().pollInterval(Duration.ZERO).build(), "poll_interval",
                "must be positive");
        rejected(() -> CompactorOptions.builder().manifestUpdateTimeout(Duration.ZERO).build(),
                "manifest_update_timeout", "must be positive");
        rejected(() -> GarbageCollectorDirectoryOptions.builder().interval(Duration.ZERO).build(), "interval",
                "must be positive");
        rejected(() -> GarbageCollectorScheduleOptions.builder().interval(Duration.ofSeconds(-1)).build(), "interval",
                "must be positive");
    }

    @Test
    void garbageCollectorMinAgesMustNotBeNegative() {
        rejected(() -> GarbageCollectorDirectoryOptions.builder().minAge(Duration.ofMillis(-1)).build(), "min_age",
                "must not be negative");
        assertEquals(Duration.ZERO, Settings.fromMap(Map.of("garbage_collector_options.wal_options.min_age", "0s"))
                .garbageCollectorOptions().walOptions().minAge());
    }

    @Test
    void maxWalFlushesBeforeL0FlushIsAtLeast4096() {
        rejected(Map.of("max_wal_flushes_before_l0_flush", "4095"), "max_wal_flushes_before_l0_flush", "4095",
                "must be at least 4096");
        rejected(() -> Settings.builder().maxWalFlushesBeforeL0Flush(0).build(), "max_wal_flushes_before_l0_flush",
                "must be at least 4096");
        assertEquals(4096, Settings.fromMap(Map.of("max_wal_flushes_before_l0_flush", "4096"))
                .maxWalFlushesBeforeL0Flush());
    }

    @Test
    void countsAreAtLeastOne() {
        for (String name : new String[] {"l0_max_ssts", "l0_max_ssts_per_key", "l0_flush_parallelism",
                "filter_bits_per_key", "compactor_options.max_concurrent_compactions",
                "compactor_options.scheduler_options.min_compaction_sources"}) {
            rejected(Map.of(name, "0"), name, "0", "must be at least 1");
            Settings.fromMap(Map.of(name, "1"));
        }
        rejected(() -> Settings.builder().l0FlushParallelism(0).build(), "l0_flush_parallelism", "must be at least 1");
        rejected(() -> CompactorOptions.builder().maxConcurrentCompactions(-1).build(), "max_concurrent_compactions",
                "must be at least 1");
    }

    @Test
    void sizesArePositive() {
        rejected(Map.of("l0_sst_size_bytes", "0"), "l0_sst_size_bytes", "0", "must be at least 1");
        rejected(Map.of("compactor_options.max_sst_size", "0"), "compactor_options.max_sst_size", "0",
                "must be at least 1");
        rejected(() -> CompactorOptions.builder().maxSstSize(0).build(), "max_sst_size", "must be at least 1");
        assertEquals(1, Settings.fromMap(Map.of("compactor_options.max_sst_size", "1")).compactorOptions().maxSstSize());
    }

    @Test
    void maxUnflushedBytesExceedsTheL0SstSize() {
        rejected(Map.of("l0_sst_size_bytes", "64MiB", "max_unflushed_bytes", "64MiB"), "max_unflushed_bytes",
                "67108864", "must be greater than l0_sst_size_bytes (67108864)");
        rejected(Map.of("l0_sst_size_bytes", "2GiB"), "max_unflushed_bytes", "1073741824",
                "must be greater than l0_sst_size_bytes (2147483648)");
        Settings s = Settings.fromMap(Map.of("l0_sst_size_bytes", "64MiB", "max_unflushed_bytes", "67108865"));
        assertEquals(67_108_865L, s.maxUnflushedBytes());
    }

    @Test
    void nonNegativeCounts() {
        rejected(Map.of("min_filter_keys", "-1"), "min_filter_keys", "-1", "must be at least 0");
        rejected(Map.of("default_ttl_millis", "-1"), "default_ttl_millis", "-1", "must be at least 0");
        rejected(Map.of("object_store_max_retries", "-1"), "object_store_max_retries", "-1", "must be at least 0");
        rejected(() -> Settings.builder().blockCacheBytes(-1).build(), "block_cache_bytes", "must be at least 0");
        rejected(() -> Settings.builder().metaCacheBytes(-1).build(), "meta_cache_bytes", "must be at least 0");
        Settings zeros = Settings.fromMap(Map.of("min_filter_keys", "0", "default_ttl_millis", "0",
                "object_store_max_retries", "0", "block_cache_bytes", "0", "meta_cache_bytes", "0"));
        assertEquals(0, zeros.minFilterKeys());
        assertEquals(0L, zeros.defaultTtlMillis());
        assertEquals(0, zeros.objectStoreMaxRetries());
        assertEquals(0, zeros.blockCacheBytes());
        assertEquals(0, zeros.metaCacheBytes());
    }

    @Test
    void sstBlockSizeIsOneSlateDbOffers() {
        for (String size : new String[] {"1KiB", "2KiB", "4KiB", "8KiB", "16KiB", "32KiB", "64KiB"}) {
            Settings.fromMap(Map.of("sst_block_size", size));
        }
        for (String size : new String[] {"512", "3000", "128KiB", "0"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> Settings.fromMap(Map.of("sst_block_size", size)));
            assertEquals("sst_block_size", e.setting());
            assertTrue(e.reason().startsWith("must be one of 1024, 2048"), e.reason());
        }
    }

    @Test
    void compactionSourcesAreOrdered() {
        rejected(Map.of("compactor_options.scheduler_options.min_compaction_sources", "9"),
                "compactor_options.scheduler_options.max_compaction_sources", "8",
                "must be at least scheduler_options.min_compaction_sources (9)");
        rejected(() -> CompactorOptions.builder().minCompactionSources(3).maxCompactionSources(2).build(),
                "scheduler_options.max_compaction_sources", "must be at least scheduler_options.min_compaction_sources (3)");
        CompactorOptions equal = Settings.fromMap(Map.of(
                "compactor_options.scheduler_options.min_compaction_sources", "8")).compactorOptions();
        assertEquals(8, equal.minCompactionSources());
    }

    @Test
    void includeSizeThresholdIsFiniteAndPositive() {
        for (String value : new String[] {"0", "-1.5", "NaN", "Infinity"}) {
            rejected(Map.of("compactor_options.scheduler_options.include_size_threshold", value),
                    "compactor_options.scheduler_options.include_size_threshold", null,
                    "must be a finite number greater than 0");
        }
        assertEquals(0.5, Settings.fromMap(Map.of("compactor_options.scheduler_options.include_size_threshold", "0.5"))
                .compactorOptions().includeSizeThreshold());
    }

    @Test
    void requiredValuesAreNotNull() {
        assertThrows(NullPointerException.class, () -> Settings.builder().manifestPollInterval(null));
        assertThrows(NullPointerException.class, () -> Settings.builder().compressionCodec(null));
        assertThrows(NullPointerException.class, () -> CompactorOptions.builder().pollInterval(null));
        assertThrows(NullPointerException.class, () -> GarbageCollectorDirectoryOptions.builder().minAge(null));
    }

    /** fromMap fails naming {@code setting} (full name), showing {@code value} (unless null) and {@code reason}. */
    private static void rejected(Map<String, String> text, String setting, String value, String reason) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Settings.fromMap(text));
        assertEquals(ErrorKind.INVALID, e.kind());
        assertEquals(setting, e.setting());
        assertEquals(reason, e.reason());
        if (value != null) {
            assertEquals(value, e.value());
            assertEquals("invalid setting " + setting + "=\"" + value + "\": " + reason, e.getMessage());
        } else {
            assertTrue(e.getMessage().startsWith("invalid setting " + setting + "="), e.getMessage());
        }
    }

    /** A builder call fails naming {@code setting} (relative to its options record) and {@code reason}. */
    private static void rejected(Executable build, String setting, String reason) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, build);
        assertEquals(ErrorKind.INVALID, e.kind());
        assertEquals(setting, e.setting());
        assertEquals(reason, e.reason());
    }
}
