package io.slatedb;

import java.time.Duration;
import java.util.Objects;

/**
 * How a compactor works ({@link Compactor}, or the one a writer runs in-process): SlateDB's
 * {@code CompactorOptions}, with the size-tiered scheduler's options (SlateDB's
 * {@code compactor_options.scheduler_options}) and the worker options a single-process compactor
 * uses. Defaults are in {@link #DEFAULT}.
 *
 * <p>The size-tiered scheduler compacts the L0 SSTs into a new sorted run once there are
 * {@code minCompactionSources} of them, and merges series of similar-sized sorted runs.
 *
 * @param pollInterval          how often the compactor looks for work and refreshes the manifest
 *                              ({@code poll_interval}); default 5 s. Must be positive.
 * @param manifestUpdateTimeout how long the compactor keeps retrying a manifest update that
 *                              conflicts with other writers before failing
 *                              ({@code manifest_update_timeout}); default 300 s. Must be positive.
 * @param maxConcurrentCompactions how many compactions may run at once
 *                              ({@code max_concurrent_compactions}); default 4. At least 1.
 * @param maxSstSize            the size at which compaction output is split into another SST, in
 *                              bytes ({@code max_sst_size}); default 256 MiB. At least 1.
 * @param minCompactionSources  the fewest L0 SSTs, or sorted runs in a series, worth compacting
 *                              ({@code scheduler_options.min_compaction_sources}); default 4. At
 *                              least 1.
 * @param maxCompactionSources  the most sources one compaction takes
 *                              ({@code scheduler_options.max_compaction_sources}); default 8. At
 *                              least {@code minCompactionSources}.
 * @param includeSizeThreshold  a sorted run joins a series when it is at most this many times the
 *                              size of the series' smallest run
 *                              ({@code scheduler_options.include_size_threshold}); default 4.0.
 *                              Finite and positive.
 * @param enableTrivialMove     when the sources of a compaction do not overlap, list their SSTs in the
 *                              output run as they are instead of rewriting them; no tombstone or
 *                              expiry clean-up happens then ({@code enable_trivial_move}); default false
 * @param maxFetchTasks         how many block reads each source SST of a compaction keeps in flight
 *                              ({@code max_fetch_tasks}); default 4. At least 1. With
 *                              {@code bytesToFetch} and {@code maxConcurrentCompactions} it bounds
 *                              the compactor's read I/O and read buffers
 * @param bytesToFetch          how many bytes of blocks one such read fetches
 *                              ({@code bytes_to_fetch}); default 2 MiB. At least 1. Memory for output is
 *                              bounded by {@code maxConcurrentCompactions} SSTs of {@code maxSstSize}
 */
public record CompactorOptions(
        Duration pollInterval,
        Duration manifestUpdateTimeout,
        int maxConcurrentCompactions,
        long maxSstSize,
        int minCompactionSources,
        int maxCompactionSources,
        double includeSizeThreshold,
        boolean enableTrivialMove,
        int maxFetchTasks,
        long bytesToFetch) {

    /**
     * SlateDB's defaults: 5 s, 300 s, 4 compactions, 256 MiB SSTs, 4 to 8 sources, threshold 4.0, no
     * trivial moves, 4 reads of 2 MiB in flight per source SST.
     */
    public static final CompactorOptions DEFAULT = new CompactorOptions(Duration.ofSeconds(5), Duration.ofSeconds(300),
            4, 256L << 20, 4, 8, 4.0, false, 4, 2L << 20);

    /** @throws InvalidSettingException when a rule is broken; the setting is named relative to {@code compactor_options} */
    public CompactorOptions {
        SettingChecks.positive("poll_interval", pollInterval);
        SettingChecks.positive("manifest_update_timeout", manifestUpdateTimeout);
        SettingChecks.atLeast("max_concurrent_compactions", maxConcurrentCompactions, 1);
        SettingChecks.atLeast("max_sst_size", maxSstSize, 1);
        SettingChecks.atLeast("scheduler_options.min_compaction_sources", minCompactionSources, 1);
        if (maxCompactionSources < minCompactionSources) {
            throw new InvalidSettingException("scheduler_options.max_compaction_sources",
                    Integer.toString(maxCompactionSources),
                    "must be at least scheduler_options.min_compaction_sources (" + minCompactionSources + ")");
        }
        if (!Double.isFinite(includeSizeThreshold) || includeSizeThreshold <= 0) {
            throw new InvalidSettingException("scheduler_options.include_size_threshold",
                    Double.toString(includeSizeThreshold), "must be a finite number greater than 0");
        }
        SettingChecks.atLeast("max_fetch_tasks", maxFetchTasks, 1);
        SettingChecks.atLeast("bytes_to_fetch", bytesToFetch, 1);
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link CompactorOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration pollInterval;
        private Duration manifestUpdateTimeout;
        private int maxConcurrentCompactions;
        private long maxSstSize;
        private int minCompactionSources;
        private int maxCompactionSources;
        private double includeSizeThreshold;
        private boolean enableTrivialMove;
        private int maxFetchTasks;
        private long bytesToFetch;

        private Builder(CompactorOptions from) {
            pollInterval = from.pollInterval;
            manifestUpdateTimeout = from.manifestUpdateTimeout;
            maxConcurrentCompactions = from.maxConcurrentCompactions;
            maxSstSize = from.maxSstSize;
            minCompactionSources = from.minCompactionSources;
            maxCompactionSources = from.maxCompactionSources;
            includeSizeThreshold = from.includeSizeThreshold;
            enableTrivialMove = from.enableTrivialMove;
            maxFetchTasks = from.maxFetchTasks;
            bytesToFetch = from.bytesToFetch;
        }

        /** Sets {@link CompactorOptions#pollInterval()}. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** Sets {@link CompactorOptions#manifestUpdateTimeout()}. */
        public Builder manifestUpdateTimeout(Duration manifestUpdateTimeout) {
            this.manifestUpdateTimeout = Objects.requireNonNull(manifestUpdateTimeout, "manifestUpdateTimeout");
            return this;
        }

        /** Sets {@link CompactorOptions#maxConcurrentCompactions()}. */
        public Builder maxConcurrentCompactions(int maxConcurrentCompactions) {
            this.maxConcurrentCompactions = maxConcurrentCompactions;
            return this;
        }

        /** Sets {@link CompactorOptions#maxSstSize()}. */
        public Builder maxSstSize(long maxSstSize) {
            this.maxSstSize = maxSstSize;
            return this;
        }

        /** Sets {@link CompactorOptions#minCompactionSources()}. */
        public Builder minCompactionSources(int minCompactionSources) {
            this.minCompactionSources = minCompactionSources;
            return this;
        }

        /** Sets {@link CompactorOptions#maxCompactionSources()}. */
        public Builder maxCompactionSources(int maxCompactionSources) {
            this.maxCompactionSources = maxCompactionSources;
            return this;
        }

        /** Sets {@link CompactorOptions#includeSizeThreshold()}. */
        public Builder includeSizeThreshold(double includeSizeThreshold) {
            this.includeSizeThreshold = includeSizeThreshold;
            return this;
        }

        /** Sets {@link CompactorOptions#enableTrivialMove()}. */
        public Builder enableTrivialMove(boolean enableTrivialMove) {
            this.enableTrivialMove = enableTrivialMove;
            return this;
        }

        /** Sets {@link CompactorOptions#maxFetchTasks()}. */
        public Builder maxFetchTasks(int maxFetchTasks) {
            this.maxFetchTasks = maxFetchTasks;
            return this;
        }

        /** Sets {@link CompactorOptions#bytesToFetch()}. */
        public Builder bytesToFetch(long bytesToFetch) {
            this.bytesToFetch = bytesToFetch;
            return this;
        }

        /** @throws InvalidSettingException when a rule is broken */
        public CompactorOptions build() {
            return new CompactorOptions(pollInterval, manifestUpdateTimeout, maxConcurrentCompactions, maxSstSize,
                    minCompactionSources, maxCompactionSources, includeSizeThreshold, enableTrivialMove, maxFetchTasks,
                    bytesToFetch);
        }
    }
}
