package io.slatedb.metrics;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The timer of a {@link SimpleMetricRegistry}: how many durations were recorded, their sum and the
 * longest of them. The maximum is kept because a mean hides the stalls (a slow object-store request, a
 * long flush) that an operator most needs to see; it is not part of {@link Timer} so that bridges to
 * other metric systems need not provide it.
 *
 * <p>Recording touches only striped cells ({@link LongAdder}, {@link LongAccumulator}), so it stays
 * cheap under contention. The three values are read one after another, not as one atomic snapshot: a
 * read that races a recording may see its count but not yet its duration.
 */
public final class SimpleTimer implements Timer {

    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    SimpleTimer() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code nanos} is negative, which only a caller's clock
     *                                  arithmetic gone wrong can produce
     */
    @Override
    public void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a duration cannot be negative: " + nanos + " ns");
        }
        count.increment();
        totalNanos.add(nanos);
        maxNanos.accumulate(nanos);
    }

    @Override
    public long count() {
        return count.sum();
    }

    @Override
    public long totalNanos() {
        return totalNanos.sum();
    }

    /** The longest duration recorded, in nanoseconds; 0 before the first. */
    public long maxNanos() {
        return maxNanos.get();
    }

    @Override
    public String toString() {
        return "Timer[count=" + count() + ", totalNanos=" + totalNanos() + ", maxNanos=" + maxNanos() + "]";
    }
}
