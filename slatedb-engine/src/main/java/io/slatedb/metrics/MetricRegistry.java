package io.slatedb.metrics;

import java.util.function.LongSupplier;

/**
 * Where the engine publishes its metrics. The engine asks for each instrument once, when a database
 * opens, and then only updates it, so an implementation can bridge straight to another system's
 * metrics (a Flink metric group, Kafka's metrics) by creating that system's instruments here.
 *
 * <p>Names are dotted and lower case, e.g. {@code slatedb.db.put_count} or {@code object_store.get.latency}
 * (the engine's names are constants in {@link SlateDbMetricNames});
 * asking twice for one name returns the same instrument (a gauge registered twice keeps the first
 * supplier). Implementations are thread-safe and updates must be cheap: they run on the write path.
 */
public interface MetricRegistry {

    /** A monotonically increasing count. */
    Counter counter(String name, String description);

    /** A value read when the metrics are read, e.g. the bytes held in a cache. */
    void gauge(String name, String description, LongSupplier value);

    /** A recorder of durations, e.g. the latency of object-store requests. */
    Timer timer(String name, String description);

    /** A registry that records nothing. */
    MetricRegistry NOOP = new MetricRegistry() {
        @Override
        public Counter counter(String name, String description) {
            return Counter.NOOP;
        }

        @Override
        public void gauge(String name, String description, LongSupplier value) {
        }

        @Override
        public Timer timer(String name, String description) {
            return Timer.NOOP;
        }
    };
}
