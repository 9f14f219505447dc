package io.slatedb;

import io.slatedb.SettingsSchema.Group;
import io.slatedb.SettingsSchema.Member;
import io.slatedb.SettingsSchema.Nested;
import io.slatedb.SettingsSchema.Value;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The text form of {@link Settings}: every setting's name and syntax, and reading and writing maps. */
final class SettingsText {

    static final Group<GarbageCollectorDirectoryOptions, GarbageCollectorDirectoryOptions.Builder> GC_DIRECTORY =
            new Group<>(List.of(
                    new Value<>("interval", SettingSyntax.DURATION, GarbageCollectorDirectoryOptions::interval,
                            GarbageCollectorDirectoryOptions.Builder::interval),
                    new Value<>("min_age", SettingSyntax.DURATION, GarbageCollectorDirectoryOptions::minAge,
                            GarbageCollectorDirectoryOptions.Builder::minAge),
                    new Value<>("dry_run", SettingSyntax.BOOLEAN, GarbageCollectorDirectoryOptions::dryRun,
                            GarbageCollectorDirectoryOptions.Builder::dryRun)),
                    GarbageCollectorDirectoryOptions::toBuilder, GarbageCollectorDirectoryOptions.Builder::build);

    static final Group<GarbageCollectorScheduleOptions, GarbageCollectorScheduleOptions.Builder> GC_SCHEDULE =
            new Group<>(List.of(
                    new Value<>("interval", SettingSyntax.DURATION, GarbageCollectorScheduleOptions::interval,
                            GarbageCollectorScheduleOptions.Builder::interval)),
                    GarbageCollectorScheduleOptions::toBuilder, GarbageCollectorScheduleOptions.Builder::build);

    static final Group<GarbageCollectorOptions, GarbageCollectorOptions.Builder> GC = new Group<>(List.of(
            directory("manifest_options", GarbageCollectorOptions::manifestOptions,
                    GarbageCollectorOptions.Builder::manifestOptions, GarbageCollectorDirectoryOptions.DEFAULT),
            directory("wal_options", GarbageCollectorOptions::walOptions,
                    GarbageCollectorOptions.Builder::walOptions, GarbageCollectorDirectoryOptions.DEFAULT),
            directory("wal_fence_options", GarbageCollectorOptions::walFenceOptions,
                    GarbageCollectorOptions.Builder::walFenceOptions, GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT),
            directory("compacted_options", GarbageCollectorOptions::compactedOptions,
                    GarbageCollectorOptions.Builder::compactedOptions, GarbageCollectorDirectoryOptions.DEFAULT),
            directory("compactions_options", GarbageCollectorOptions::compactionsOptions,
                    GarbageCollectorOptions.Builder::compactionsOptions, GarbageCollectorDirectoryOptions.DEFAULT),
            new Nested<>("detach_options", GC_SCHEDULE, GarbageCollectorOptions::detachOptions,
                    GarbageCollectorOptions.Builder::detachOptions, GarbageCollectorScheduleOptions.DEFAULT),
            new Value<>("boundary_files_enabled", SettingSyntax.BOOLEAN, GarbageCollectorOptions::boundaryFilesEnabled,
                    GarbageCollectorOptions.Builder::boundaryFilesEnabled)),
            GarbageCollectorOptions::toBuilder, GarbageCollectorOptions.Builder::build);

    static final Group<CompactorOptions, CompactorOptions.Builder> COMPACTOR = new Group<>(List.of(
            new Value<>("poll_interval", SettingSyntax.DURATION, CompactorOptions::pollInterval,
                    CompactorOptions.Builder::pollInterval),
            new Value<>("manifest_update_timeout", SettingSyntax.DURATION, CompactorOptions::manifestUpdateTimeout,
                    CompactorOptions.Builder::manifestUpdateTimeout),
            new Value<>("max_concurrent_compactions", SettingSyntax.INT, CompactorOptions::maxConcurrentCompactions,
                    CompactorOptions.Builder::maxConcurrentCompactions),
            new Value<>("max_sst_size", SettingSyntax.BYTES, CompactorOptions::maxSstSize,
                    CompactorOptions.Builder::maxSstSize),
            new Value<>("scheduler_options.min_compaction_sources", SettingSyntax.INT,
                    CompactorOptions::minCompactionSources, CompactorOptions.Builder::minCompactionSources),
            new Value<>("scheduler_options.max_compaction_sources", SettingSyntax.INT,
                    CompactorOptions::maxCompactionSources, CompactorOptions.Builder::maxCompactionSources),
            new Value<>("scheduler_options.include_size_threshold", SettingSyntax.DOUBLE,
                    CompactorOptions::includeSizeThreshold, CompactorOptions.Builder::includeSizeThreshold),
            new Value<>("enable_trivial_move", SettingSyntax.BOOLEAN, CompactorOptions::enableTrivialMove,
                    CompactorOptions.Builder::enableTrivialMove),
            new Value<>("max_fetch_tasks", SettingSyntax.INT, CompactorOptions::maxFetchTasks,
                    CompactorOptions.Builder::maxFetchTasks),
            new Value<>("bytes_to_fetch", SettingSyntax.BYTES, CompactorOptions::bytesToFetch,
                    CompactorOptions.Builder::bytesToFetch)),
            CompactorOptions::toBuilder, CompactorOptions.Builder::build);

    static final Group<Settings, Settings.Builder> SETTINGS = new Group<>(List.of(
            new Value<>("flush_interval", SettingSyntax.DURATION.optional(), Settings::flushInterval,
                    Settings.Builder::flushInterval),
            new Value<>("manifest_poll_interval", SettingSyntax.DURATION, Settings::manifestPollInterval,
                    Settings.Builder::manifestPollInterval),
            new Value<>("manifest_update_timeout", SettingSyntax.DURATION, Settings::manifestUpdateTimeout,
                    Settings.Builder::manifestUpdateTimeout),
            new Value<>("min_filter_keys", SettingSyntax.INT, Settings::minFilterKeys, Settings.Builder::minFilterKeys),
            new Value<>("l0_sst_size_bytes", SettingSyntax.BYTES, Settings::l0SstSizeBytes,
                    Settings.Builder::l0SstSizeBytes),
            new Value<>("max_wal_flushes_before_l0_flush", SettingSyntax.LONG, Settings::maxWalFlushesBeforeL0Flush,
                    Settings.Builder::maxWalFlushesBeforeL0Flush),
            new Value<>("l0_max_ssts", SettingSyntax.INT, Settings::l0MaxSsts, Settings.Builder::l0MaxSsts),
            new Value<>("l0_max_ssts_per_key", SettingSyntax.INT, Settings::l0MaxSstsPerKey,
                    Settings.Builder::l0MaxSstsPerKey),
            new Value<>("l0_flush_parallelism", SettingSyntax.INT, Settings::l0FlushParallelism,
                    Settings.Builder::l0FlushParallelism),
            new Value<>("max_unflushed_bytes", SettingSyntax.BYTES, Settings::maxUnflushedBytes,
                    Settings.Builder::maxUnflushedBytes),
            new Value<>("compression_codec", SettingSyntax.CODEC, Settings::compressionCodec,
                    Settings.Builder::compressionCodec),
            new Value<>("default_ttl_millis", SettingSyntax.LONG.optional(), Settings::defaultTtlMillis,
                    Settings.Builder::defaultTtlMillis),
            new Value<>("object_store_max_retries", SettingSyntax.INT.optional(), Settings::objectStoreMaxRetries,
                    Settings.Builder::objectStoreMaxRetries),
            new Nested<>("compactor_options", COMPACTOR, Settings::compactorOptions,
                    Settings.Builder::compactorOptions, CompactorOptions.DEFAULT),
            new Nested<>("garbage_collector_options", GC, Settings::garbageCollectorOptions,
                    Settings.Builder::garbageCollectorOptions, GarbageCollectorOptions.DEFAULT),
            new Value<>("sst_block_size", SettingSyntax.INT_BYTES, Settings::sstBlockSize,
                    Settings.Builder::sstBlockSize),
            new Value<>("filter_bits_per_key", SettingSyntax.INT, Settings::filterBitsPerKey,
                    Settings.Builder::filterBitsPerKey),
            new Value<>("block_cache_bytes", SettingSyntax.BYTES, Settings::blockCacheBytes,
                    Settings.Builder::blockCacheBytes),
            new Value<>("meta_cache_bytes", SettingSyntax.BYTES, Settings::metaCacheBytes,
                    Settings.Builder::metaCacheBytes)),
            Settings::toBuilder, Settings.Builder::build);

    /** Every name {@link #read} accepts, in map order. */
    static final Set<String> NAMES = Collections.unmodifiableSet(SETTINGS.names());

    private SettingsText() {
    }

    /** {@code base} with {@code entries} applied. */
    static Settings read(Settings base, Map<String, String> entries) {
        Objects.requireNonNull(entries, "entries");
        Map<String, String> remaining = new TreeMap<>();
        entries.forEach((name, text) -> {
            Objects.requireNonNull(name, "setting name");
            if (!NAMES.contains(name)) {
                throw InvalidSettingException.unknown(name);
            }
            if (text == null) {
                throw new InvalidSettingException(name, null, "no value");
            }
            remaining.put(name, text);
        });
        Settings settings = SETTINGS.read(base, "", remaining);
        if (!remaining.isEmpty()) {
            throw new IllegalStateException("settings left unread: " + remaining.keySet());
        }
        return settings;
    }

    /** Every setting of {@code settings} as text. */
    static Map<String, String> write(Settings settings) {
        return Collections.unmodifiableMap(SETTINGS.write(settings));
    }

    /** The entries of a {@code .properties} file, read as UTF-8. */
    static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new SlateDbException(ErrorKind.INVALID, "settings file not found: " + file, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new SlateDbException(e instanceof IOException ? ErrorKind.UNAVAILABLE : ErrorKind.INVALID,
                    "cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> entries = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            entries.put(name, properties.getProperty(name));
        }
        return entries;
    }

    private static Member<GarbageCollectorOptions, GarbageCollectorOptions.Builder> directory(
            String name,
            Function<GarbageCollectorOptions, GarbageCollectorDirectoryOptions> getter,
            BiConsumer<GarbageCollectorOptions.Builder, GarbageCollectorDirectoryOptions> setter,
            GarbageCollectorDirectoryOptions defaultValue) {
        return new Nested<>(name, GC_DIRECTORY, getter, setter, defaultValue);
    }
}
