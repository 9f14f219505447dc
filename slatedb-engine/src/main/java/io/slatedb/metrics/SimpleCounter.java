package io.slatedb.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counter of a {@link SimpleMetricRegistry}. A {@link LongAdder} rather than an atomic long: the
 * engine bumps counters from many threads on the write path, where a single contended cell would cost
 * more than the rare reads that sum the cells.
 */
final class SimpleCounter implements Counter {

    private final LongAdder count = new LongAdder();

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code n} is negative: a counter only goes up, so a negative
     *                                  amount is a bug in the caller
     */
    @Override
    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter only goes up; cannot add " + n);
        }
        count.add(n);
    }

    @Override
    public long count() {
        return count.sum();
    }

    @Override
    public String toString() {
        return "Counter[" + count() + "]";
    }
}
