package io.slatedb;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a {@link DbReader}: SlateDB's {@code DbReaderOptions} and the reader's caches.
 * {@link #DEFAULT} holds SlateDB's defaults; build others with {@link #builder()}.
 *
 * @param manifestPollInterval how often a reader that follows the database (its own checkpoint, or
 *                             {@link DbReaderMode#FOLLOW_LATEST}) reads the latest manifest and looks
 *                             for new WAL files; default 10 s. Must be positive.
 * @param checkpointLifetime   the lifetime of the checkpoint a reader in
 *                             {@link DbReaderMode#MANAGED_CHECKPOINT} mode creates for itself; it is
 *                             refreshed once half of it has passed. Default 10 min. In that mode it must be
 *                             at least 1 s and at least twice the poll interval, so a refresh always
 *                             comes before the expiry.
 * @param maxMemtableBytes     the size (estimated as an SST) at which a table of replayed WAL rows is
 *                             closed and a new one started; default 64 MiB. At least 1.
 * @param skipWalReplay        whether to read only what the manifest references, ignoring WAL files
 *                             not yet flushed to L0; default false
 * @param blockCacheBytes      <em>extension</em> (as {@link Settings#blockCacheBytes()}): the capacity of
 *                             the cache of decoded data blocks; default 512 MiB. 0 disables it.
 * @param metaCacheBytes       <em>extension</em> (as {@link Settings#metaCacheBytes()}): the capacity of
 *                             the cache of SST indexes and filters; default 128 MiB
 */
public record DbReaderOptions(Duration manifestPollInterval, Duration checkpointLifetime, long maxMemtableBytes,
                              boolean skipWalReplay, long blockCacheBytes, long metaCacheBytes) {

    /** SlateDB's defaults: poll every 10 s, 10 min checkpoints, 64 MiB tables, WAL replay on, default caches. */
    public static final DbReaderOptions DEFAULT = new DbReaderOptions(Duration.ofSeconds(10), Duration.ofMinutes(10),
            64L << 20, false, Settings.DEFAULT.blockCacheBytes(), Settings.DEFAULT.metaCacheBytes());

    /** The shortest checkpoint lifetime SlateDB accepts. */
    public static final Duration MIN_CHECKPOINT_LIFETIME = Duration.ofSeconds(1);

    /**
     * Checks each value on its own; the rule tying the lifetime to the poll interval applies only to
     * readers that manage a checkpoint and is checked by {@link #validateForManagedCheckpoint()}.
     *
     * @throws InvalidSettingException when a duration is not positive or a size is below its minimum
     */
    public DbReaderOptions {
        SettingChecks.positive("manifest_poll_interval", manifestPollInterval);
        SettingChecks.positive("checkpoint_lifetime", checkpointLifetime);
        SettingChecks.atLeast("max_memtable_bytes", maxMemtableBytes, 1);
        SettingChecks.atLeast("block_cache_bytes", blockCacheBytes, 0);
        SettingChecks.atLeast("meta_cache_bytes", metaCacheBytes, 0);
    }

    /**
     * The rules SlateDB checks for a reader that creates its own checkpoint: the lifetime is at least
     * {@link #MIN_CHECKPOINT_LIFETIME} ({@code InvalidCheckpointLifetime}) and at least twice the poll
     * interval ({@code CheckpointLifetimeTooShort}).
     *
     * @throws InvalidSettingException (kind {@link ErrorKind#INVALID}) naming {@code checkpoint_lifetime}
     */
    public void validateForManagedCheckpoint() {
        if (checkpointLifetime.compareTo(MIN_CHECKPOINT_LIFETIME) < 0) {
            throw new InvalidSettingException("checkpoint_lifetime", SettingChecks.show(checkpointLifetime),
                    "must be at least 1s");
        }
        if (checkpointLifetime.compareTo(manifestPollInterval.multipliedBy(2)) < 0) {
            throw new InvalidSettingException("checkpoint_lifetime", SettingChecks.show(checkpointLifetime),
                    "must be at least twice manifest_poll_interval ("
                            + SettingChecks.show(manifestPollInterval) + ")");
        }
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link DbReaderOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration manifestPollInterval;
        private Duration checkpointLifetime;
        private long maxMemtableBytes;
        private boolean skipWalReplay;
        private long blockCacheBytes;
        private long metaCacheBytes;

        private Builder(DbReaderOptions from) {
            manifestPollInterval = from.manifestPollInterval;
            checkpointLifetime = from.checkpointLifetime;
            maxMemtableBytes = from.maxMemtableBytes;
            skipWalReplay = from.skipWalReplay;
            blockCacheBytes = from.blockCacheBytes;
            metaCacheBytes = from.metaCacheBytes;
        }

        /** Sets {@link DbReaderOptions#manifestPollInterval()}. */
        public Builder manifestPollInterval(Duration interval) {
            this.manifestPollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Sets {@link DbReaderOptions#checkpointLifetime()}. */
        public Builder checkpointLifetime(Duration lifetime) {
            this.checkpointLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** Sets {@link DbReaderOptions#maxMemtableBytes()}. */
        public Builder maxMemtableBytes(long bytes) {
            this.maxMemtableBytes = bytes;
            return this;
        }

        /** Sets {@link DbReaderOptions#skipWalReplay()}. */
        public Builder skipWalReplay(boolean skip) {
            this.skipWalReplay = skip;
            return this;
        }

        /** Sets {@link DbReaderOptions#blockCacheBytes()}. */
        public Builder blockCacheBytes(long bytes) {
            this.blockCacheBytes = bytes;
            return this;
        }

        /** Sets {@link DbReaderOptions#metaCacheBytes()}. */
        public Builder metaCacheBytes(long bytes) {
            this.metaCacheBytes = bytes;
            return this;
        }

        /** @throws InvalidSettingException when a value breaks its rule */
        public DbReaderOptions build() {
            return new DbReaderOptions(manifestPollInterval, checkpointLifetime, maxMemtableBytes, skipWalReplay,
                    blockCacheBytes, metaCacheBytes);
        }
    }
}
