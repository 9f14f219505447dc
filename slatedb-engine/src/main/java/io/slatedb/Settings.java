package io.slatedb;

import io.slatedb.store.RetryPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The configuration of a database writer: SlateDB's {@code Settings} (the options this engine
 * implements, with SlateDB's names and defaults) plus a few options SlateDB sets on its
 * {@code DbBuilder} instead, marked <em>extension</em> below. Immutable; {@link #DEFAULT} holds the
 * defaults, {@link #builder()} changes them, and {@link #fromMap}/{@link #fromProperties} read them
 * from text.
 *
 * <h2>Text form</h2>
 * {@link #fromMap} and {@link #toMap} use SlateDB's snake_case names; nested options use dotted
 * names ({@code compactor_options.max_sst_size},
 * {@code garbage_collector_options.wal_options.min_age}). Values are written as:
 * <ul>
 *   <li>durations: one or more {@code <integer><unit>} terms, e.g. {@code 100ms}, {@code 5m},
 *       {@code 1h 30m}, {@code 7days}; units ns, us, ms, s, m (min), h, d, w;</li>
 *   <li>sizes in bytes: a plain integer ({@code 67108864}) or an integer with a binary unit
 *       {@code B}, {@code KiB}, {@code MiB}, {@code GiB} or {@code TiB} ({@code 64MiB}, {@code 1 GiB});
 *       decimal units such as {@code MB} are rejected;</li>
 *   <li>counts: decimal integers; booleans: {@code true} or {@code false};</li>
 *   <li>an absent optional value, or a disabled group of nested options: {@code none} or the empty
 *       string, e.g. {@code flush_interval=none}, {@code compactor_options=none}.</li>
 * </ul>
 * Names not listed are kept at their defaults. An unknown name, a value that does not parse, or a
 * broken validation rule is an {@link InvalidSettingException} (kind {@link ErrorKind#INVALID})
 * naming the setting, e.g. {@code invalid setting flush_interval="fast": expected a duration such
 * as 100ms} or {@code unknown setting "flush_intervall"}.
 *
 * <h2>Validation</h2>
 * Building checks SlateDB's rules ({@code max_wal_flushes_before_l0_flush} at least 4096,
 * {@code l0_flush_parallelism} at least 1, {@code max_unflushed_bytes} greater than
 * {@code l0_sst_size_bytes}) and this engine's: durations and sizes positive, counts at least 1,
 * the block size one SlateDB offers.
 *
 * @param flushInterval              how often the write-ahead log is flushed to object storage
 *                                   ({@code flush_interval}); default 100 ms. {@code null}
 *                                   (none) disables timed flushes: writes become durable only on
 *                                   an explicit flush, a full WAL buffer, or close. Shorter means
 *                                   faster durability and more PUT requests. Positive.
 * @param manifestPollInterval       how often the writer re-reads the manifest, which is how it
 *                                   notices it was fenced and sees compactions
 *                                   ({@code manifest_poll_interval}); also the retry backoff of
 *                                   uploads. Default 1 s. Positive.
 * @param manifestUpdateTimeout      how long the writer keeps retrying a manifest update that
 *                                   conflicts with other processes ({@code manifest_update_timeout});
 *                                   default 300 s. Positive.
 * @param minFilterKeys              SSTs with fewer rows get no bloom filter
 *                                   ({@code min_filter_keys}); default 1000. Not negative.
 * @param l0SstSizeBytes             the size at which the memtable is frozen and written as an L0
 *                                   SST, and at which a WAL buffer is flushed early
 *                                   ({@code l0_sst_size_bytes}); default 64 MiB. At least 1.
 * @param maxWalFlushesBeforeL0Flush the memtable is also frozen after this many WAL flushes, which
 *                                   bounds the WAL a restart must replay
 *                                   ({@code max_wal_flushes_before_l0_flush}); default 4096. At
 *                                   least 4096 (SlateDB's rule).
 * @param l0MaxSsts                  memtable flushes stall while a tree holds this many L0 SSTs,
 *                                   counting uploads in flight ({@code l0_max_ssts}); default 8.
 *                                   At least 1.
 * @param l0MaxSstsPerKey            memtable flushes stall while this many L0 SSTs overlap at some
 *                                   key ({@code l0_max_ssts_per_key}); default 8. At least 1.
 * @param l0FlushParallelism         how many immutable memtables are uploaded at once
 *                                   ({@code l0_flush_parallelism}); default 4. At least 1
 *                                   (SlateDB's rule).
 * @param maxUnflushedBytes          writes wait while the memtables and WAL buffers not yet in
 *                                   object storage hold this many bytes ({@code max_unflushed_bytes});
 *                                   default 1 GiB. Greater than {@code l0_sst_size_bytes} (SlateDB's
 *                                   rule).
 * @param compressionCodec           how SST blocks are compressed ({@code compression_codec}:
 *                                   {@code none}, {@code snappy}, {@code zlib}, {@code lz4} or
 *                                   {@code zstd}); default none. Every process reading the database
 *                                   must support the codec.
 * @param defaultTtlMillis           the time to live of puts with {@link Ttl#DEFAULT}, in
 *                                   milliseconds ({@code default_ttl_millis}); default {@code null}
 *                                   (none): such puts never expire. Not negative.
 * @param objectStoreMaxRetries      how often a failed object-store request is retried
 *                                   ({@code object_store_max_retries}); default {@code null} (none):
 *                                   retried until it succeeds or the operation's own deadline.
 *                                   Not negative.
 * @param compactorOptions           the in-process compactor ({@code compactor_options.*}); default
 *                                   {@link CompactorOptions#DEFAULT}. {@code null} (none) runs no
 *                                   compactor, e.g. when a separate process compacts.
 * @param garbageCollectorOptions    the in-process garbage collector
 *                                   ({@code garbage_collector_options.*}); default
 *                                   {@link GarbageCollectorOptions#DEFAULT}. {@code null} (none)
 *                                   runs no garbage collector.
 * @param sstBlockSize               <em>extension</em> (SlateDB: {@code DbBuilder::with_sst_block_size}):
 *                                   the target size of uncompressed SST data blocks, in bytes
 *                                   ({@code sst_block_size}); one of 1, 2, 4, 8, 16, 32 or 64 KiB,
 *                                   default 4 KiB.
 * @param filterBitsPerKey           <em>extension</em> (SlateDB: {@code DbBuilder::with_filter_policies}
 *                                   with a {@code BloomFilterPolicy}; a setting in SlateDB 0.12): bloom
 *                                   filter bits per key ({@code filter_bits_per_key}); default 10, a
 *                                   false-positive rate near 0.8%. At least 1.
 * @param blockCacheBytes            <em>extension</em> (SlateDB: the data part of the default
 *                                   {@code SplitCache}, set with {@code DbBuilder::with_db_cache}):
 *                                   the capacity of the cache of decoded data blocks
 *                                   ({@code block_cache_bytes}); default 512 MiB. 0 disables it.
 * @param metaCacheBytes             <em>extension</em> (SlateDB: the metadata part of the default
 *                                   {@code SplitCache}): the capacity of the cache of SST indexes,
 *                                   filters and stats ({@code meta_cache_bytes}); default 128 MiB. 0
 *                                   disables it.
 */
public record Settings(
        Duration flushInterval,
        Duration manifestPollInterval,
        Duration manifestUpdateTimeout,
        int minFilterKeys,
        long l0SstSizeBytes,
        long maxWalFlushesBeforeL0Flush,
        int l0MaxSsts,
        int l0MaxSstsPerKey,
        int l0FlushParallelism,
        long maxUnflushedBytes,
        CompressionCodec compressionCodec,
        Long defaultTtlMillis,
        Integer objectStoreMaxRetries,
        CompactorOptions compactorOptions,
        GarbageCollectorOptions garbageCollectorOptions,
        int sstBlockSize,
        int filterBitsPerKey,
        long blockCacheBytes,
        long metaCacheBytes) {

    /** The fewest WAL flushes SlateDB accepts for {@code max_wal_flushes_before_l0_flush}. */
    public static final long MIN_WAL_FLUSHES_BEFORE_L0_FLUSH = 4096;

    /** SlateDB's defaults, and this engine's for the extensions. */
    public static final Settings DEFAULT = new Settings(
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofSeconds(300),
            1000,
            64L << 20,
            4096,
            8,
            8,
            4,
            1L << 30,
            CompressionCodec.NONE,
            null,
            null,
            CompactorOptions.DEFAULT,
            GarbageCollectorOptions.DEFAULT,
            4096,
            10,
            512L << 20,
            128L << 20);

    /** @throws InvalidSettingException when a validation rule is broken */
    public Settings {
        if (flushInterval != null) {
            SettingChecks.positive("flush_interval", flushInterval);
        }
        SettingChecks.positive("manifest_poll_interval", manifestPollInterval);
        SettingChecks.positive("manifest_update_timeout", manifestUpdateTimeout);
        SettingChecks.atLeast("min_filter_keys", minFilterKeys, 0);
        SettingChecks.atLeast("l0_sst_size_bytes", l0SstSizeBytes, 1);
        SettingChecks.atLeast("max_wal_flushes_before_l0_flush", maxWalFlushesBeforeL0Flush,
                MIN_WAL_FLUSHES_BEFORE_L0_FLUSH);
        SettingChecks.atLeast("l0_max_ssts", l0MaxSsts, 1);
        SettingChecks.atLeast("l0_max_ssts_per_key", l0MaxSstsPerKey, 1);
        SettingChecks.atLeast("l0_flush_parallelism", l0FlushParallelism, 1);
        if (maxUnflushedBytes <= l0SstSizeBytes) {
            throw new InvalidSettingException("max_unflushed_bytes", Long.toString(maxUnflushedBytes),
                    "must be greater than l0_sst_size_bytes (" + l0SstSizeBytes + ")");
        }
        Objects.requireNonNull(compressionCodec, "compressionCodec");
        if (defaultTtlMillis != null) {
            SettingChecks.atLeast("default_ttl_millis", defaultTtlMillis, 0);
        }
        if (objectStoreMaxRetries != null) {
            SettingChecks.atLeast("object_store_max_retries", objectStoreMaxRetries, 0);
        }
        if (Integer.bitCount(sstBlockSize) != 1 || sstBlockSize < 1024 || sstBlockSize > 65536) {
            throw new InvalidSettingException("sst_block_size", Integer.toString(sstBlockSize),
                    "must be one of 1024, 2048, 4096, 8192, 16384, 32768, 65536 (1KiB to 64KiB)");
        }
        SettingChecks.atLeast("filter_bits_per_key", filterBitsPerKey, 1);
        SettingChecks.atLeast("block_cache_bytes", blockCacheBytes, 0);
        SettingChecks.atLeast("meta_cache_bytes", metaCacheBytes, 0);
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The defaults with the entries of {@code entries} applied; see the class documentation for the
     * names and value syntax.
     *
     * @throws InvalidSettingException when a name is unknown, a value does not parse, or the result
     *                                 breaks a validation rule
     */
    public static Settings fromMap(Map<String, String> entries) {
        return DEFAULT.withOverrides(entries);
    }

    /**
     * The defaults with the entries of a {@code .properties} file (read as UTF-8) applied, as
     * {@link #fromMap} applies them.
     *
     * @throws InvalidSettingException when an entry is invalid
     * @throws SlateDbException        of kind {@link ErrorKind#INVALID} when the file does not exist, or
     *                                 {@link ErrorKind#UNAVAILABLE} when it cannot be read
     */
    public static Settings fromProperties(Path file) {
        return fromMap(SettingsText.readProperties(file));
    }

    /**
     * These settings with the entries of {@code entries} applied: named settings change, the others
     * keep their values here. A nested group given only some of its settings keeps the rest (or
     * starts from its defaults when it was disabled here).
     *
     * @throws InvalidSettingException when a name is unknown, a value does not parse, or the result
     *                                 breaks a validation rule
     */
    public Settings withOverrides(Map<String, String> entries) {
        return SettingsText.read(this, entries);
    }

    /**
     * Every setting as text, in a fixed order, in the form {@link #fromMap} reads:
     * {@code fromMap(s.toMap()).equals(s)}. Sizes are written as plain byte counts, absent values
     * and disabled groups as {@code none}.
     */
    public Map<String, String> toMap() {
        return SettingsText.write(this);
    }

    /**
     * Every setting {@link #fromMap} accepts, in the order {@link #toMap} writes them: name, kind of
     * value, default and a one-line description, with groups of nested settings ({@code compactor_options})
     * listed before their members. Integrations derive their configuration options from this list.
     */
    public static List<SettingDescriptor> schema() {
        return SettingsText.SCHEMA;
    }

    /** {@link #defaultTtlMillis()} as an {@link OptionalLong}, the form {@link Ttl#expireTs} takes. */
    public OptionalLong defaultTtl() {
        return defaultTtlMillis == null ? OptionalLong.empty() : OptionalLong.of(defaultTtlMillis);
    }

    /**
     * {@code base} limited to {@link #objectStoreMaxRetries()} retries after the first attempt, or
     * {@code base} itself when that setting is absent: the policy a handle with these settings retries
     * object-store requests with.
     */
    public RetryPolicy retryPolicy(RetryPolicy base) {
        Objects.requireNonNull(base, "base");
        if (objectStoreMaxRetries == null) {
            return base;
        }
        return base.withMaxAttempts((int) Math.min(objectStoreMaxRetries + 1L, RetryPolicy.UNLIMITED_ATTEMPTS));
    }

    /** Builds {@link Settings}; every setter documents its option at the matching accessor. Not thread-safe. */
    public static final class Builder {
        private Duration flushInterval;
        private Duration manifestPollInterval;
        private Duration manifestUpdateTimeout;
        private int minFilterKeys;
        private long l0SstSizeBytes;
        private long maxWalFlushesBeforeL0Flush;
        private int l0MaxSsts;
        private int l0MaxSstsPerKey;
        private int l0FlushParallelism;
        private long maxUnflushedBytes;
        private CompressionCodec compressionCodec;
        private Long defaultTtlMillis;
        private Integer objectStoreMaxRetries;
        private CompactorOptions compactorOptions;
        private GarbageCollectorOptions garbageCollectorOptions;
        private int sstBlockSize;
        private int filterBitsPerKey;
        private long blockCacheBytes;
        private long metaCacheBytes;

        private Builder(Settings from) {
            flushInterval = from.flushInterval;
            manifestPollInterval = from.manifestPollInterval;
            manifestUpdateTimeout = from.manifestUpdateTimeout;
            minFilterKeys = from.minFilterKeys;
            l0SstSizeBytes = from.l0SstSizeBytes;
            maxWalFlushesBeforeL0Flush = from.maxWalFlushesBeforeL0Flush;
            l0MaxSsts = from.l0MaxSsts;
            l0MaxSstsPerKey = from.l0MaxSstsPerKey;
            l0FlushParallelism = from.l0FlushParallelism;
            maxUnflushedBytes = from.maxUnflushedBytes;
            compressionCodec = from.compressionCodec;
            defaultTtlMillis = from.defaultTtlMillis;
            objectStoreMaxRetries = from.objectStoreMaxRetries;
            compactorOptions = from.compactorOptions;
            garbageCollectorOptions = from.garbageCollectorOptions;
            sstBlockSize = from.sstBlockSize;
            filterBitsPerKey = from.filterBitsPerKey;
            blockCacheBytes = from.blockCacheBytes;
            metaCacheBytes = from.metaCacheBytes;
        }

        /** Sets {@link Settings#flushInterval()}; {@code null} disables timed flushes. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** Sets {@link Settings#manifestPollInterval()}. */
        public Builder manifestPollInterval(Duration manifestPollInterval) {
            this.manifestPollInterval = Objects.requireNonNull(manifestPollInterval, "manifestPollInterval");
            return this;
        }

        /** Sets {@link Settings#manifestUpdateTimeout()}. */
        public Builder manifestUpdateTimeout(Duration manifestUpdateTimeout) {
            this.manifestUpdateTimeout = Objects.requireNonNull(manifestUpdateTimeout, "manifestUpdateTimeout");
            return this;
        }

        /** Sets {@link Settings#minFilterKeys()}. */
        public Builder minFilterKeys(int minFilterKeys) {
            this.minFilterKeys = minFilterKeys;
            return this;
        }

        /** Sets {@link Settings#l0SstSizeBytes()}. */
        public Builder l0SstSizeBytes(long l0SstSizeBytes) {
            this.l0SstSizeBytes = l0SstSizeBytes;
            return this;
        }

        /** Sets {@link Settings#maxWalFlushesBeforeL0Flush()}. */
        public Builder maxWalFlushesBeforeL0Flush(long maxWalFlushesBeforeL0Flush) {
            this.maxWalFlushesBeforeL0Flush = maxWalFlushesBeforeL0Flush;
            return this;
        }

        /** Sets {@link Settings#l0MaxSsts()}. */
        public Builder l0MaxSsts(int l0MaxSsts) {
            this.l0MaxSsts = l0MaxSsts;
            return this;
        }

        /** Sets {@link Settings#l0MaxSstsPerKey()}. */
        public Builder l0MaxSstsPerKey(int l0MaxSstsPerKey) {
            this.l0MaxSstsPerKey = l0MaxSstsPerKey;
            return this;
        }

        /** Sets {@link Settings#l0FlushParallelism()}. */
        public Builder l0FlushParallelism(int l0FlushParallelism) {
            this.l0FlushParallelism = l0FlushParallelism;
            return this;
        }

        /** Sets {@link Settings#maxUnflushedBytes()}. */
        public Builder maxUnflushedBytes(long maxUnflushedBytes) {
            this.maxUnflushedBytes = maxUnflushedBytes;
            return this;
        }

        /** Sets {@link Settings#compressionCodec()}. */
        public Builder compressionCodec(CompressionCodec compressionCodec) {
            this.compressionCodec = Objects.requireNonNull(compressionCodec, "compressionCodec");
            return this;
        }

        /** Sets {@link Settings#defaultTtlMillis()}; {@code null} for none. */
        public Builder defaultTtlMillis(Long defaultTtlMillis) {
            this.defaultTtlMillis = defaultTtlMillis;
            return this;
        }

        /** Sets {@link Settings#objectStoreMaxRetries()}; {@code null} for no limit. */
        public Builder objectStoreMaxRetries(Integer objectStoreMaxRetries) {
            this.objectStoreMaxRetries = objectStoreMaxRetries;
            return this;
        }

        /** Sets {@link Settings#compactorOptions()}; {@code null} runs no compactor. */
        public Builder compactorOptions(CompactorOptions compactorOptions) {
            this.compactorOptions = compactorOptions;
            return this;
        }

        /** Sets {@link Settings#garbageCollectorOptions()}; {@code null} runs no garbage collector. */
        public Builder garbageCollectorOptions(GarbageCollectorOptions garbageCollectorOptions) {
            this.garbageCollectorOptions = garbageCollectorOptions;
            return this;
        }

        /** Sets {@link Settings#sstBlockSize()} (extension). */
        public Builder sstBlockSize(int sstBlockSize) {
            this.sstBlockSize = sstBlockSize;
            return this;
        }

        /** Sets {@link Settings#filterBitsPerKey()} (extension). */
        public Builder filterBitsPerKey(int filterBitsPerKey) {
            this.filterBitsPerKey = filterBitsPerKey;
            return this;
        }

        /** Sets {@link Settings#blockCacheBytes()} (extension). */
        public Builder blockCacheBytes(long blockCacheBytes) {
            this.blockCacheBytes = blockCacheBytes;
            return this;
        }

        /** Sets {@link Settings#metaCacheBytes()} (extension). */
        public Builder metaCacheBytes(long metaCacheBytes) {
            this.metaCacheBytes = metaCacheBytes;
            return this;
        }

        /** @throws InvalidSettingException when a validation rule is broken */
        public Settings build() {
            return new Settings(flushInterval, manifestPollInterval, manifestUpdateTimeout, minFilterKeys,
                    l0SstSizeBytes, maxWalFlushesBeforeL0Flush, l0MaxSsts, l0MaxSstsPerKey, l0FlushParallelism,
                    maxUnflushedBytes, compressionCodec, defaultTtlMillis, objectStoreMaxRetries, compactorOptions,
                    garbageCollectorOptions, sstBlockSize, filterBitsPerKey, blockCacheBytes, metaCacheBytes);
        }
    }
}
