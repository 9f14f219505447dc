package io.slatedb.metrics;

/** Records durations. Thread-safe. */
public interface Timer {

    /** Records one duration of {@code nanos} nanoseconds. */
    void record(long nanos);

    /** How many durations were recorded. */
    long count();

    /** The sum of the recorded durations, in nanoseconds. */
    long totalNanos();

    /** A timer that ignores updates and always reads 0. */
    Timer NOOP = new Timer() {
        @Override
        public void record(long nanos) {
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public long totalNanos() {
            return 0;
        }
    };
}
