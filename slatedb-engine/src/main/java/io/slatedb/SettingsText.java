package io.slatedb;

import io.slatedb.SettingsSchema.Described;
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
                            GarbageCollectorDirectoryOptions.Builder::interval,
                            "How often this garbage-collection task runs."),
                    new Value<>("min_age", SettingSyntax.DURATION, GarbageCollectorDirectoryOptions::minAge,
                            GarbageCollectorDirectoryOptions.Builder::minAge,
                            "Objects younger than this are never deleted by this task."),
                    new Value<>("dry_run", SettingSyntax.BOOLEAN, GarbageCollectorDirectoryOptions::dryRun,
                            GarbageCollectorDirectoryOptions.Builder::dryRun,
                            "Whether this task only logs what it would delete.")),
                    GarbageCollectorDirectoryOptions::toBuilder, GarbageCollectorDirectoryOptions.Builder::build);

    static final Group<GarbageCollectorScheduleOptions, GarbageCollectorScheduleOptions.Builder> GC_SCHEDULE =
            new Group<>(List.of(
                    new Value<>("interval", SettingSyntax.DURATION, GarbageCollectorScheduleOptions::interval,
                            GarbageCollectorScheduleOptions.Builder::interval,
                            "How often the detach task runs.")),
                    GarbageCollectorScheduleOptions::toBuilder, GarbageCollectorScheduleOptions.Builder::build);

    static final Group<GarbageCollectorOptions, GarbageCollectorOptions.Builder> GC = new Group<>(List.of(
            directory("manifest_options", GarbageCollectorOptions::manifestOptions,
                    GarbageCollectorOptions.Builder::manifestOptions, GarbageCollectorDirectoryOptions.DEFAULT,
                    "The task that deletes manifests neither latest nor pinned by a checkpoint; none disables it."),
            directory("wal_options", GarbageCollectorOptions::walOptions,
                    GarbageCollectorOptions.Builder::walOptions, GarbageCollectorDirectoryOptions.DEFAULT,
                    "The task that deletes WAL SSTs no manifest or checkpoint needs for replay; none disables it."),
            directory("wal_fence_options", GarbageCollectorOptions::walFenceOptions,
                    GarbageCollectorOptions.Builder::walFenceOptions, GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT,
                    "The task that deletes empty WAL objects left by fencing; none disables it."),
            directory("compacted_options", GarbageCollectorOptions::compactedOptions,
                    GarbageCollectorOptions.Builder::compactedOptions, GarbageCollectorDirectoryOptions.DEFAULT,
                    "The task that deletes compacted SSTs no manifest or checkpoint references; none disables it."),
            directory("compactions_options", GarbageCollectorOptions::compactionsOptions,
                    GarbageCollectorOptions.Builder::compactionsOptions, GarbageCollectorDirectoryOptions.DEFAULT,
                    "The task that deletes superseded .compactions files; none disables it."),
            new Nested<>("detach_options", GC_SCHEDULE, GarbageCollectorOptions::detachOptions,
                    GarbageCollectorOptions.Builder::detachOptions, GarbageCollectorScheduleOptions.DEFAULT,
                    "The task that releases a clone's pins in its sources once it reads none of their SSTs; none disables it."),
            new Value<>("boundary_files_enabled", SettingSyntax.BOOLEAN, GarbageCollectorOptions::boundaryFilesEnabled,
                    GarbageCollectorOptions.Builder::boundaryFilesEnabled,
                    "Whether manifests and .compactions files are deleted only after advancing their gc/*.boundary file.")),
            GarbageCollectorOptions::toBuilder, GarbageCollectorOptions.Builder::build);

    static final Group<CompactorOptions, CompactorOptions.Builder> COMPACTOR = new Group<>(List.of(
            new Value<>("poll_interval", SettingSyntax.DURATION, CompactorOptions::pollInterval,
                    CompactorOptions.Builder::pollInterval,
                    "How often the compactor looks for work and refreshes the manifest."),
            new Value<>("manifest_update_timeout", SettingSyntax.DURATION, CompactorOptions::manifestUpdateTimeout,
                    CompactorOptions.Builder::manifestUpdateTimeout,
                    "How long the compactor retries a manifest update that conflicts with other processes."),
            new Value<>("max_concurrent_compactions", SettingSyntax.INT, CompactorOptions::maxConcurrentCompactions,
                    CompactorOptions.Builder::maxConcurrentCompactions,
                    "How many compactions may run at once."),
            new Value<>("max_sst_size", SettingSyntax.BYTES, CompactorOptions::maxSstSize,
                    CompactorOptions.Builder::maxSstSize,
                    "The size at which compaction output is split into another SST."),
            new Value<>("scheduler_options.min_compaction_sources", SettingSyntax.INT,
                    CompactorOptions::minCompactionSources, CompactorOptions.Builder::minCompactionSources,
                    "The fewest L0 SSTs, or sorted runs in a series, worth compacting."),
            new Value<>("scheduler_options.max_compaction_sources", SettingSyntax.INT,
                    CompactorOptions::maxCompactionSources, CompactorOptions.Builder::maxCompactionSources,
                    "The most sources one compaction takes."),
            new Value<>("scheduler_options.include_size_threshold", SettingSyntax.DOUBLE,
                    CompactorOptions::includeSizeThreshold, CompactorOptions.Builder::includeSizeThreshold,
                    "A sorted run joins a series when it is at most this many times the size of the series' smallest run."),
            new Value<>("enable_trivial_move", SettingSyntax.BOOLEAN, CompactorOptions::enableTrivialMove,
                    CompactorOptions.Builder::enableTrivialMove,
                    "Whether non-overlapping sources are moved into the output run as they are instead of rewritten."),
            new Value<>("max_fetch_tasks", SettingSyntax.INT, CompactorOptions::maxFetchTasks,
                    CompactorOptions.Builder::maxFetchTasks,
                    "How many block reads each source SST of a compaction keeps in flight."),
            new Value<>("bytes_to_fetch", SettingSyntax.BYTES, CompactorOptions::bytesToFetch,
                    CompactorOptions.Builder::bytesToFetch,
                    "How many bytes of blocks one compaction read fetches.")),
            CompactorOptions::toBuilder, CompactorOptions.Builder::build);

    static final Group<Settings, Settings.Builder> SETTINGS = new Group<>(List.of(
            new Value<>("flush_interval", SettingSyntax.DURATION.optional(), Settings::flushInterval,
                    Settings.Builder::flushInterval,
                    "How often the write-ahead log is flushed to object storage; none flushes only when asked, when a WAL buffer is full, or at close."),
            new Value<>("manifest_poll_interval", SettingSyntax.DURATION, Settings::manifestPollInterval,
                    Settings.Builder::manifestPollInterval,
                    "How often the writer re-reads the manifest, which is how it notices it was fenced and sees compactions."),
            new Value<>("manifest_update_timeout", SettingSyntax.DURATION, Settings::manifestUpdateTimeout,
                    Settings.Builder::manifestUpdateTimeout,
                    "How long the writer retries a manifest update that conflicts with other processes."),
            new Value<>("min_filter_keys", SettingSyntax.INT, Settings::minFilterKeys, Settings.Builder::minFilterKeys,
            "SSTs with fewer rows get no bloom filter."),
            new Value<>("l0_sst_size_bytes", SettingSyntax.BYTES, Settings::l0SstSizeBytes,
                    Settings.Builder::l0SstSizeBytes,
                    "The memtable size at which it is frozen and written as an L0 SST."),
            new Value<>("max_wal_flushes_before_l0_flush", SettingSyntax.LONG, Settings::maxWalFlushesBeforeL0Flush,
                    Settings.Builder::maxWalFlushesBeforeL0Flush,
                    "The memtable is also frozen after this many WAL flushes, which bounds the WAL a restart replays."),
            new Value<>("l0_max_ssts", SettingSyntax.INT, Settings::l0MaxSsts, Settings.Builder::l0MaxSsts,
            "Memtable flushes stall while the tree holds this many L0 SSTs."),
            new Value<>("l0_max_ssts_per_key", SettingSyntax.INT, Settings::l0MaxSstsPerKey,
                    Settings.Builder::l0MaxSstsPerKey,
                    "Memtable flushes stall while this many L0 SSTs overlap at some key."),
            new Value<>("l0_flush_parallelism", SettingSyntax.INT, Settings::l0FlushParallelism,
                    Settings.Builder::l0FlushParallelism,
                    "How many frozen memtables are uploaded at once."),
            new Value<>("max_unflushed_bytes", SettingSyntax.BYTES, Settings::maxUnflushedBytes,
                    Settings.Builder::maxUnflushedBytes,
                    "Writes wait while the data not yet in object storage reaches this many bytes."),
            new Value<>("compression_codec", SettingSyntax.CODEC, Settings::compressionCodec,
                    Settings.Builder::compressionCodec,
                    "How SST blocks are compressed; every process reading the database must support the codec."),
            new Value<>("default_ttl_millis", SettingSyntax.LONG.optional(), Settings::defaultTtlMillis,
                    Settings.Builder::defaultTtlMillis,
                    "The time to live, in milliseconds, of puts that ask for the default; none: they never expire."),
            new Value<>("object_store_max_retries", SettingSyntax.INT.optional(), Settings::objectStoreMaxRetries,
                    Settings.Builder::objectStoreMaxRetries,
                    "How often a failed object-store request is retried; none: until it succeeds or the operation's deadline."),
            new Nested<>("compactor_options", COMPACTOR, Settings::compactorOptions,
                    Settings.Builder::compactorOptions, CompactorOptions.DEFAULT,
                    "The compactor the writer runs in-process; none when another process compacts."),
            new Nested<>("garbage_collector_options", GC, Settings::garbageCollectorOptions,
                    Settings.Builder::garbageCollectorOptions, GarbageCollectorOptions.DEFAULT,
                    "The garbage collector the writer runs in-process; none runs none."),
            new Value<>("sst_block_size", SettingSyntax.INT_BYTES, Settings::sstBlockSize,
                    Settings.Builder::sstBlockSize,
                    "The target size of uncompressed SST data blocks: 1, 2, 4, 8, 16, 32 or 64 KiB."),
            new Value<>("filter_bits_per_key", SettingSyntax.INT, Settings::filterBitsPerKey,
                    Settings.Builder::filterBitsPerKey,
                    "Bloom filter bits per key (10 gives a false-positive rate near 0.8%)."),
            new Value<>("block_cache_bytes", SettingSyntax.BYTES, Settings::blockCacheBytes,
                    Settings.Builder::blockCacheBytes,
                    "The capacity of the cache of decoded data blocks; 0 disables it."),
            new Value<>("meta_cache_bytes", SettingSyntax.BYTES, Settings::metaCacheBytes,
                    Settings.Builder::metaCacheBytes,
                    "The capacity of the cache of SST indexes, filters and stats; 0 disables it.")),
            Settings::toBuilder, Settings.Builder::build);

    /** Every name {@link #read} accepts, in map order. */
    static final Set<String> NAMES = Collections.unmodifiableSet(SETTINGS.names());

    /** Every setting's description and syntax, by name in map order, with the defaults of {@link Settings#DEFAULT}. */
    private static final Map<String, Described> DESCRIBED = Collections.unmodifiableMap(
            SETTINGS.describe(Settings.DEFAULT));

    /** Every setting's public description, in map order. */
    static final List<SettingDescriptor> SCHEMA = DESCRIBED.values().stream().map(Described::descriptor).toList();

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

    /**
     * Parses {@code text} as setting {@code name} does, without applying it.
     *
     * @throws InvalidSettingException when the name is unknown or the text does not parse
     */
    static void checkSyntax(String name, String text) {
        Described described = DESCRIBED.get(name);
        if (described == null) {
            throw InvalidSettingException.unknown(name);
        }
        if (described.syntax() == null) {
            if (!SettingSyntax.isNone(text)) {
                throw new InvalidSettingException(name, text,
                        "expected none (to disable it), or settings named " + name + ".*");
            }
            return;
        }
        try {
            described.syntax().parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, text, e.getMessage());
        }
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
            GarbageCollectorDirectoryOptions defaultValue, String description) {
        return new Nested<>(name, GC_DIRECTORY, getter, setter, defaultValue, description);
    }
}
