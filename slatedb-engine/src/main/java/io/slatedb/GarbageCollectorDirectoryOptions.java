package io.slatedb;

import java.time.Duration;
import java.util.Objects;

/**
 * How the garbage collector cleans one kind of object (manifests, WAL SSTs, WAL fences, compacted
 * SSTs or {@code .compactions} files). SlateDB's {@code GarbageCollectorDirectoryOptions}.
 *
 * @param interval how often the task runs; SlateDB's default 10 minutes ({@code 600s}). Must be
 *                 positive.
 * @param minAge   objects younger than this are never deleted; SlateDB's default 5 minutes
 *                 ({@code 300s}). It must exceed the clock skew between processes and, with boundary
 *                 files disabled, the longest time a process can stall. Must not be negative.
 * @param dryRun   when true the task only logs what it would delete; SlateDB's default false (true
 *                 for WAL fences, see {@link #WAL_FENCE_DEFAULT})
 */
public record GarbageCollectorDirectoryOptions(Duration interval, Duration minAge, boolean dryRun) {

    /** SlateDB's defaults for every kind of object except WAL fences: every 10 min, older than 5 min. */
    public static final GarbageCollectorDirectoryOptions DEFAULT =
            new GarbageCollectorDirectoryOptions(Duration.ofMinutes(10), Duration.ofMinutes(5), false);

    /**
     * SlateDB's defaults for WAL fences (empty WAL objects): as {@link #DEFAULT} but a dry run, since
     * deleting fences weakens the WAL's fencing guarantee.
     */
    public static final GarbageCollectorDirectoryOptions WAL_FENCE_DEFAULT =
            new GarbageCollectorDirectoryOptions(Duration.ofMinutes(10), Duration.ofMinutes(5), true);

    /** @throws InvalidSettingException when the interval is not positive or the minimum age is negative */
    public GarbageCollectorDirectoryOptions {
        SettingChecks.positive("interval", interval);
        SettingChecks.nonNegative("min_age", minAge);
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link GarbageCollectorDirectoryOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration interval;
        private Duration minAge;
        private boolean dryRun;

        private Builder(GarbageCollectorDirectoryOptions from) {
            interval = from.interval;
            minAge = from.minAge;
            dryRun = from.dryRun;
        }

        /** Sets {@link GarbageCollectorDirectoryOptions#interval()}. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Sets {@link GarbageCollectorDirectoryOptions#minAge()}. */
        public Builder minAge(Duration minAge) {
            this.minAge = Objects.requireNonNull(minAge, "minAge");
            return this;
        }

        /** Sets {@link GarbageCollectorDirectoryOptions#dryRun()}. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** @throws InvalidSettingException when a rule is broken */
        public GarbageCollectorDirectoryOptions build() {
            return new GarbageCollectorDirectoryOptions(interval, minAge, dryRun);
        }
    }
}
