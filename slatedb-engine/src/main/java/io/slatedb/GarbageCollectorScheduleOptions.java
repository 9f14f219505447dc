package io.slatedb;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a garbage-collection task without an age rule runs: the detach task, which releases a
 * clone's hold on its parent once the clone no longer references the parent's SSTs. SlateDB's
 * {@code GarbageCollectorScheduleOptions}.
 *
 * @param interval how often the task runs; SlateDB's default 10 minutes ({@code 600s}). Must be
 *                 positive.
 */
public record GarbageCollectorScheduleOptions(Duration interval) {

    /** SlateDB's default: every 10 minutes. */
    public static final GarbageCollectorScheduleOptions DEFAULT =
            new GarbageCollectorScheduleOptions(Duration.ofMinutes(10));

    /** @throws InvalidSettingException when the interval is not positive */
    public GarbageCollectorScheduleOptions {
        SettingChecks.positive("interval", interval);
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link GarbageCollectorScheduleOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration interval;

        private Builder(GarbageCollectorScheduleOptions from) {
            interval = from.interval;
        }

        /** Sets {@link GarbageCollectorScheduleOptions#interval()}. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** @throws InvalidSettingException when the interval is not positive */
        public GarbageCollectorScheduleOptions build() {
            return new GarbageCollectorScheduleOptions(interval);
        }
    }
}
