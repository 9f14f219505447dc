package io.slatedb;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings as text: {@link Settings#fromMap}, {@link Settings#toMap}, {@link Settings#fromProperties}. */
class SettingsTextTest {

    @Provide
    Arbitrary<Settings> settings() {
        return SettingsArbitraries.settings();
    }

    @Property(tries = 300)
    void toMapRoundTripsThroughFromMap(@ForAll("settings") Settings settings) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> text = settings.toMap();
            Settings read = Settings.fromMap(text);
            assertEquals(settings, read);
            assertEquals(text, read.toMap());
            assertEquals(settings, Settings.DEFAULT.withOverrides(text));
        });
    }

    @Property(tries = 200)
    void overridingWithAnotherSettingsMapGivesThoseSettings(@ForAll("settings") Settings base,
                                                            @ForAll("settings") Settings target) {
        assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertEquals(target, base.withOverrides(target.toMap())));
    }

    @Test
    void everyNameWrittenIsAKnownName() {
        Settings disabled = Settings.builder().compactorOptions(null).garbageCollectorOptions(null).build();
        assertTrue(SettingsText.NAMES.containsAll(Settings.DEFAULT.toMap().keySet()));
        assertTrue(SettingsText.NAMES.containsAll(disabled.toMap().keySet()));
        assertEquals(List.of("compactor_options", "garbage_collector_options"), disabled.toMap().keySet().stream()
                .filter(name -> name.contains("options")).toList());
    }

    @Test
    void readsEveryValueSyntax() {
        Map<String, String> text = new HashMap<>();
        text.put("flush_interval", "250ms");
        text.put("manifest_update_timeout", "7days 30min");
        text.put("l0_sst_size_bytes", "16MiB");
        text.put("max_unflushed_bytes", "1 GiB");
        text.put("l0_max_ssts", " 12 ");
        text.put("compression_codec", "ZSTD");
        text.put("default_ttl_millis", "86400000");
        text.put("object_store_max_retries", "3");
        text.put("compactor_options.scheduler_options.include_size_threshold", "2.5");
        text.put("garbage_collector_options.wal_fence_options.dry_run", "FALSE");
        text.put("sst_block_size", "16KiB");
        Settings s = Settings.fromMap(text);
        assertEquals(Duration.ofMillis(250), s.flushInterval());
        assertEquals(Duration.ofDays(7).plusMinutes(30), s.manifestUpdateTimeout());
        assertEquals(16L << 20, s.l0SstSizeBytes());
        assertEquals(1L << 30, s.maxUnflushedBytes());
        assertEquals(12, s.l0MaxSsts());
        assertEquals(CompressionCodec.ZSTD, s.compressionCodec());
        assertEquals(86_400_000L, s.defaultTtlMillis());
        assertEquals(3, s.objectStoreMaxRetries());
        assertEquals(2.5, s.compactorOptions().includeSizeThreshold());
        assertFalse(s.garbageCollectorOptions().walFenceOptions().dryRun());
        assertEquals(16384, s.sstBlockSize());
        assertEquals(Settings.DEFAULT.toBuilder().flushInterval(Duration.ofMillis(250))
                .manifestUpdateTimeout(Duration.ofDays(7).plusMinutes(30)).l0SstSizeBytes(16L << 20)
                .maxUnflushedBytes(1L << 30).l0MaxSsts(12).compressionCodec(CompressionCodec.ZSTD)
                .defaultTtlMillis(86_400_000L).objectStoreMaxRetries(3)
                .compactorOptions(CompactorOptions.builder().includeSizeThreshold(2.5).build())
                .garbageCollectorOptions(GarbageCollectorOptions.builder()
                        .walFenceOptions(GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT.toBuilder().dryRun(false).build())
                        .build())
                .sstBlockSize(16384).build(), s);
    }

    @Test
    void noneOrEmptyClearsOptionalValues() {
        Settings base = Settings.builder().defaultTtlMillis(5L).objectStoreMaxRetries(2)
                .compressionCodec(CompressionCodec.LZ4).build();
        Settings s = base.withOverrides(Map.of("flush_interval", "none", "default_ttl_millis", "",
                "object_store_max_retries", "NONE", "compression_codec", ""));
        assertNull(s.flushInterval());
        assertNull(s.defaultTtlMillis());
        assertNull(s.objectStoreMaxRetries());
        assertEquals(CompressionCodec.NONE, s.compressionCodec());
        assertEquals(CompressionCodec.NONE, Settings.fromMap(Map.of("compression_codec", "none")).compressionCodec());
    }

    @Test
    void noneDisablesNestedOptions() {
        Settings s = Settings.fromMap(Map.of("compactor_options", "none", "garbage_collector_options", ""));
        assertNull(s.compactorOptions());
        assertNull(s.garbageCollectorOptions());
        Settings tasks = Settings.fromMap(Map.of("garbage_collector_options.wal_fence_options", "none",
                "garbage_collector_options.detach_options", "none"));
        assertNull(tasks.garbageCollectorOptions().walFenceOptions());
        assertNull(tasks.garbageCollectorOptions().detachOptions());
        assertEquals(GarbageCollectorDirectoryOptions.DEFAULT, tasks.garbageCollectorOptions().walOptions());
    }

    @Test
    void nestedSettingsChangeOnlyWhatTheyName() {
        Settings base = Settings.builder()
                .compactorOptions(CompactorOptions.builder().maxSstSize(1 << 20).pollInterval(Duration.ofSeconds(9)).build())
                .build();
        Settings s = base.withOverrides(Map.of("compactor_options.poll_interval", "1s"));
        assertEquals(CompactorOptions.builder().maxSstSize(1 << 20).pollInterval(Duration.ofSeconds(1)).build(),
                s.compactorOptions());
    }

    @Test
    void nestedSettingsReenableDisabledOptionsFromTheirDefaults() {
        Settings disabled = Settings.builder().compactorOptions(null).garbageCollectorOptions(null).build();
        Settings s = disabled.withOverrides(Map.of("compactor_options.poll_interval", "1s",
                "garbage_collector_options.wal_fence_options.min_age", "1h"));
        assertEquals(CompactorOptions.builder().pollInterval(Duration.ofSeconds(1)).build(), s.compactorOptions());
        GarbageCollectorOptions gc = s.garbageCollectorOptions();
        assertEquals(GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT.toBuilder().minAge(Duration.ofHours(1)).build(),
                gc.walFenceOptions());
        assertTrue(gc.walFenceOptions().dryRun());
        assertEquals(GarbageCollectorOptions.DEFAULT.manifestOptions(), gc.manifestOptions());
    }

    @Test
    void unknownNamesAreRejectedByName() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> Settings.fromMap(Map.of("flush_intervall", "100ms")));
        assertEquals("unknown setting \"flush_intervall\"", e.getMessage());
        assertEquals("flush_intervall", e.setting());
        assertEquals(ErrorKind.INVALID, e.kind());
        assertEquals("unknown setting \"compactor_options.bogus\"", assertThrows(InvalidSettingException.class,
                () -> Settings.fromMap(Map.of("compactor_options.bogus", "1"))).getMessage());
        assertEquals("unknown setting \"garbage_collector_options.wal_options.interval_ms\"", assertThrows(
                InvalidSettingException.class, () -> Settings.fromMap(Map.of(
                        "garbage_collector_options.wal_options.interval_ms", "1000"))).getMessage());
        assertEquals("unknown setting \"Flush_Interval\"", assertThrows(InvalidSettingException.class,
                () -> Settings.fromMap(Map.of("Flush_Interval", "1s"))).getMessage());
    }

    @Test
    void unparsableValuesNameTheSettingTheValueAndWhatWasExpected() {
        assertMessage(Map.of("manifest_poll_interval", "fast"),
                "invalid setting manifest_poll_interval=\"fast\": expected a duration such as 100ms");
        assertMessage(Map.of("flush_interval", "fast"),
                "invalid setting flush_interval=\"fast\": expected a duration such as 100ms, or none");
        assertMessage(Map.of("l0_sst_size_bytes", "64MB"),
                "invalid setting l0_sst_size_bytes=\"64MB\": expected a size in bytes such as 67108864 or 64MiB");
        assertMessage(Map.of("l0_max_ssts", "eight"), "invalid setting l0_max_ssts=\"eight\": expected an integer");
        assertMessage(Map.of("max_wal_flushes_before_l0_flush", "4096.0"),
                "invalid setting max_wal_flushes_before_l0_flush=\"4096.0\": expected an integer");
        assertMessage(Map.of("object_store_max_retries", "many"),
                "invalid setting object_store_max_retries=\"many\": expected an integer, or none");
        assertMessage(Map.of("compression_codec", "brotli"),
                "invalid setting compression_codec=\"brotli\": expected one of none, snappy, zlib, lz4, zstd");
        assertMessage(Map.of("compactor_options.scheduler_options.include_size_threshold", "big"),
                "invalid setting compactor_options.scheduler_options.include_size_threshold=\"big\": "
                        + "expected a number such as 4.0");
        assertMessage(Map.of("garbage_collector_options.wal_options.dry_run", "yes"),
                "invalid setting garbage_collector_options.wal_options.dry_run=\"yes\": expected true or false");
        assertMessage(Map.of("sst_block_size", "4GiB"),
                "invalid setting sst_block_size=\"4GiB\": expected a size in bytes such as 4096 or 4KiB");
        assertMessage(Map.of("manifest_poll_interval", ""),
                "invalid setting manifest_poll_interval=\"\": expected a duration such as 100ms");
    }

    @Test
    void nestedGroupsTakeOnlyNoneAndNotTogetherWithTheirSettings() {
        assertMessage(Map.of("compactor_options", "on"), "invalid setting compactor_options=\"on\": "
                + "expected none (to disable it), or settings named compactor_options.*");
        assertMessage(Map.of("compactor_options", "none", "compactor_options.max_sst_size", "1"),
                "invalid setting compactor_options=\"none\": disabled, but compactor_options.max_sst_size is set");
        assertMessage(Map.of("garbage_collector_options.wal_options", "none",
                        "garbage_collector_options.wal_options.min_age", "1s"),
                "invalid setting garbage_collector_options.wal_options=\"none\": disabled, but "
                        + "garbage_collector_options.wal_options.min_age is set");
    }

    @Test
    void nullValuesAreInvalid() {
        Map<String, String> text = new HashMap<>();
        text.put("flush_interval", null);
        assertMessage(text, "invalid setting flush_interval: no value");
    }

    @Test
    void toMapIsReadOnly() {
        assertThrows(UnsupportedOperationException.class, () -> Settings.DEFAULT.toMap().put("flush_interval", "1s"));
    }

    @Test
    void readsPropertiesFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("slatedb.properties");
        Files.writeString(file, String.join("\n",
                "# SlateDB settings",
                "flush_interval = 50ms",
                "compactor_options = none",
                "garbage_collector_options.wal_options.min_age: 1h",
                "block_cache_bytes=1GiB",
                ""), StandardCharsets.UTF_8);
        Settings s = Settings.fromProperties(file);
        assertEquals(Settings.builder().flushInterval(Duration.ofMillis(50)).compactorOptions(null)
                .garbageCollectorOptions(GarbageCollectorOptions.builder()
                        .walOptions(GarbageCollectorDirectoryOptions.builder().minAge(Duration.ofHours(1)).build())
                        .build())
                .blockCacheBytes(1L << 30).build(), s);
    }

    @Test
    void propertiesFilesWrittenFromToMapReadBack(@TempDir Path dir) throws IOException {
        Settings settings = Settings.builder().flushInterval(null).compressionCodec(CompressionCodec.SNAPPY)
                .garbageCollectorOptions(GarbageCollectorOptions.builder().detachOptions(null).build()).build();
        Path file = dir.resolve("all.properties");
        StringBuilder text = new StringBuilder();
        settings.toMap().forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertEquals(settings, Settings.fromProperties(file));
    }

    @Test
    void propertiesFileProblemsAreReported(@TempDir Path dir) throws IOException {
        SlateDbException missing = assertThrows(SlateDbException.class,
                () -> Settings.fromProperties(dir.resolve("absent.properties")));
        assertEquals(ErrorKind.INVALID, missing.kind());
        assertTrue(missing.getMessage().contains("absent.properties"), missing.getMessage());
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "flush_interval=soon\n", StandardCharsets.UTF_8);
        assertEquals("flush_interval", assertThrows(InvalidSettingException.class,
                () -> Settings.fromProperties(bad)).setting());
    }

    private static void assertMessage(Map<String, String> text, String message) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Settings.fromMap(text));
        assertEquals(message, e.getMessage());
        assertEquals(ErrorKind.INVALID, e.kind());
    }
}
