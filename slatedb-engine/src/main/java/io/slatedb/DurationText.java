package io.slatedb;

import io.slatedb.util.Durations;

import java.time.Duration;

/**
 * SlateDB's human-readable durations, as its settings files and command line take them: one or more
 * {@code <integer><unit>} terms, optionally separated by spaces, e.g. {@code 100ms}, {@code 5m},
 * {@code 1h 30min}, {@code 7days}. Units: ns, us/µs, ms, s/sec/secs/second(s), m/min/mins/minute(s),
 * h/hr/hrs/hour(s), d/day(s), w/week(s).
 */
public final class DurationText {

    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text} when it is not a duration
     */
    public static Duration parse(String text) {
        return Durations.parse(text);
    }

    /**
     * Formats a duration in the shortest exact form {@link #parse} reads back, e.g. {@code 1h 30m}.
     *
     * @throws IllegalArgumentException when {@code duration} is negative
     */
    public static String format(Duration duration) {
        return Durations.format(duration);
    }
}
