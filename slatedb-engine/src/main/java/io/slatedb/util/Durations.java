package io.slatedb.util;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SlateDB's human-readable durations, as its settings files and command line take them: one or more
 * {@code <integer><unit>} terms, optionally separated by spaces, e.g. {@code 100ms}, {@code 5m},
 * {@code 1h 30min}, {@code 7days}. Units: ns, us/µs, ms, s/sec/secs/second(s), m/min/mins/minute(s),
 * h/hr/hrs/hour(s), d/day(s), w/week(s).
 */
public final class Durations {
    private static final Pattern TERM = Pattern.compile("\\s*(\\d+)\\s*([a-zµ]+)\\s*");

    private Durations() {
    }

    /**
     * Parses a duration; a bad string is an {@link IllegalArgumentException} saying what is wrong with it.
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration: expected e.g. 100ms, 5s, 10m, 1h");
        }
        String input = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = TERM.matcher(input);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < input.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("invalid duration '" + text
                        + "': expected terms like 100ms, 5s, 10m, 1h, 7days");
            }
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration '" + text + "': number too large", e);
            }
            total = total.plus(term(amount, m.group(2), text));
            at = m.end();
        }
        return total;
    }

    private static Duration term(long amount, String unit, String text) {
        try {
            return switch (unit) {
                case "ns", "nsec", "nanos" -> Duration.ofNanos(amount);
                case "us", "µs", "usec", "micros" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms", "msec", "millis" -> Duration.ofMillis(amount);
                case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(amount);
                case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(amount);
                case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(amount);
                case "d", "day", "days" -> Duration.ofDays(amount);
                case "w", "week", "weeks" -> Duration.ofDays(Math.multiplyExact(amount, 7L));
                default -> throw new IllegalArgumentException("invalid duration '" + text + "': unknown unit '"
                        + unit + "' (use ns, us, ms, s, m, h, d or w)");
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid duration '" + text + "': too large", e);
        }
    }

    /** Formats a duration in the shortest exact form {@link #parse} reads back, e.g. {@code 1h 30m}. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + duration);
        }
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long seconds = duration.getSeconds();
        long nanos = duration.getNano();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            long n = seconds / sizes[i];
            if (n > 0) {
                out.append(out.isEmpty() ? "" : " ").append(n).append(units[i]);
                seconds %= sizes[i];
            }
        }
        if (nanos > 0) {
            String part = nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms"
                    : nanos % 1_000 == 0 ? nanos / 1_000 + "us" : nanos + "ns";
            out.append(out.isEmpty() ? "" : " ").append(part);
        }
        return out.toString();
    }
}
