package io.slatedb;

import java.time.Duration;
import java.util.Objects;

/**
 * The compactor a writer runs in-process: SlateDB's {@code CompactorOptions}, with the size-tiered
 * scheduler's options (SlateDB's {@code compactor_options.scheduler_options}) and the worker
 * options a single-process compactor uses. Defaults are in {@link #DEFAULT}.
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
 */
public record CompactorOptions(
        Duration pollInterval,
        Duration manifestUpdateTimeout,
        int maxConcurrentCompactions,
        long maxSstSize,
        int minCompactionSources,
        int maxCompactionSources,
        double includeSizeThreshold) {

    /** SlateDB's defaults: 5 s, 300 s, 4 compactions, 256 MiB SSTs, 4 to 8 sources, threshold 4.0. */
    public static final CompactorOptions DEFAULT =
            new CompactorOptions(Duration.ofSeconds(5), Duration.ofSeconds(300), 4, 256L << 20, 4, 8, 4.0);

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

        private Builder(CompactorOptions from) {
            pollInterval = from.pollInterval;
            manifestUpdateTimeout = from.manifestUpdateTimeout;
            maxConcurrentCompactions = from.maxConcurrentCompactions;
            maxSstSize = from.maxSstSize;
            minCompactionSources = from.minCompactionSources;
            maxCompactionSources = from.maxCompactionSources;
            includeSizeThreshold = from.includeSizeThreshold;
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

        /** @throws InvalidSettingException when a rule is broken */
        public CompactorOptions build() {
            return new CompactorOptions(pollInterval, manifestUpdateTimeout, maxConcurrentCompactions, maxSstSize,
                    minCompactionSources, maxCompactionSources, includeSizeThreshold);
        }
    }
}
