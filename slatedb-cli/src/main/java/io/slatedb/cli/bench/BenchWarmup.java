package io.slatedb.cli.bench;

import io.slatedb.DurationText;

import java.time.Duration;
import java.util.Objects;

/**
 * The untimed random reads each engine runs before the timed ones of {@code readrandom} and
 * {@code readwhilewriting}: a number of reads, reads for a time, or a number of reads stopped early at a
 * time limit. The same rule applies to every engine of a run, so that each is timed in the steady state
 * a long-running server is in (a JVM engine's read path compiled, RocksDB's table readers and caches
 * touched) rather than while it warms up.
 *
 * @param reads how many reads; 0 for no count
 * @param time  how long to read at most; {@link Duration#ZERO} for no time
 */
record BenchWarmup(long reads, Duration time) {
    /** No warm-up: the first timed read is the engine's first read. */
    static final BenchWarmup NONE = new BenchWarmup(0, Duration.ZERO);

    BenchWarmup {
        Objects.requireNonNull(time, "time");
        if (reads < 0 || time.isNegative()) {
            throw new IllegalArgumentException("must not be negative");
        }
    }

    /**
     * Reads {@code --warmup}: a count of reads ({@code 1000000}), a time ({@code 2s}, {@code 500ms}), or
     * both separated by a comma ({@code 1000000,5s}: that many reads, or fewer when the time runs out).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    static BenchWarmup parse(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("must not be negative");
        }
        int comma = trimmed.indexOf(',');
        if (comma >= 0) {
            long reads = count(trimmed.substring(0, comma).trim());
            Duration time = DurationText.parse(trimmed.substring(comma + 1).trim());
            if (reads == 0 || time.isZero()) {
                throw new IllegalArgumentException("with a count and a time needs both above 0");
            }
            return new BenchWarmup(reads, time);
        }
        if (isCount(trimmed)) {
            return new BenchWarmup(count(trimmed), Duration.ZERO);
        }
        return new BenchWarmup(0, DurationText.parse(trimmed));
    }

    private static boolean isCount(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    private static long count(String text) {
        if (!isCount(text)) {
            throw new IllegalArgumentException("count '" + text + "' is not a whole number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("count " + text + " is too large");
        }
    }

    boolean isNone() {
        return reads == 0 && time.isZero();
    }

    /** Whether the warm-up goes on after {@code done} reads begun at {@code startNanos}, now {@code nowNanos}. */
    boolean goesOn(long done, long startNanos, long nowNanos) {
        if (isNone()) {
            return false;
        }
        boolean countLeft = reads == 0 || done < reads;
        boolean timeLeft = time.isZero() || nowNanos - startNanos < time.toNanos();
        return countLeft && timeLeft;
    }

    /** As the report's heading says it, e.g. {@code 1000 untimed reads} or {@code 2s of untimed reads}. */
    String describe() {
        if (time.isZero()) {
            return reads + " untimed reads";
        }
        return reads == 0 ? DurationText.format(time) + " of untimed reads"
                : reads + " untimed reads (at most " + DurationText.format(time) + ")";
    }
}
