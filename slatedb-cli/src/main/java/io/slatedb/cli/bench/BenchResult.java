package io.slatedb.cli.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What one engine did in one timed phase.
 *
 * @param engine       the engine's name
 * @param ops          operations timed
 * @param bytes        key and value bytes those operations moved
 * @param elapsedNanos wall time of the phase
 * @param latency      latency percentiles of single operations
 * @param details      further counts: keys found, writes done alongside reads, where reads were served
 */
record BenchResult(String engine, long ops, long bytes, long elapsedNanos, Latency latency, Map<String, Long> details) {

    double seconds() {
        return elapsedNanos / 1e9;
    }

    double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : ops / seconds();
    }

    /** Decimal megabytes (10^6 bytes) per second. */
    double megabytesPerSecond() {
        return elapsedNanos == 0 ? 0 : bytes / 1e6 / seconds();
    }

    /**
     * Latency percentiles in microseconds.
     */
    record Latency(double mean, double p50, double p90, double p99, double p999, double max) {

        /** The percentiles of {@code nanos}, a histogram of nanoseconds. */
        static Latency of(Histogram nanos) {
            if (nanos.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0);
            }
            return new Latency(nanos.getMean() / 1e3, nanos.getValueAtPercentile(50) / 1e3,
                    nanos.getValueAtPercentile(90) / 1e3, nanos.getValueAtPercentile(99) / 1e3,
                    nanos.getValueAtPercentile(99.9) / 1e3, nanos.getMaxValue() / 1e3);
        }
    }
}
