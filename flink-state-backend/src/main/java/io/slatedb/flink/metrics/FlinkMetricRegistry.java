package io.slatedb.flink.metrics;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.Timer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Publishes a database's engine metrics to the operator's Flink metric group. An engine name's dotted
 * segments become nested groups and its last segment the metric: {@code slatedb.db.write_ops} is the
 * counter {@code write_ops} of the group {@code slatedb.db}. Flink has no timer, so an engine timer
 * {@code x} is two counters, {@code x_count} and {@code x_total_nanos}.
 */
@Internal
public final class FlinkMetricRegistry implements MetricRegistry {

    private final MetricGroup root;
    private final Map<String, Object> instruments = new ConcurrentHashMap<>();

    public FlinkMetricRegistry(MetricGroup root) {
        this.root = root;
    }

    @Override
    public Counter counter(String name, String description) {
        return (Counter) instruments.computeIfAbsent(name, n -> {
            AdderCounter counter = new AdderCounter();
            groupOf(n).counter(leafOf(n), counter);
            return counter;
        });
    }

    @Override
    public void gauge(String name, String description, LongSupplier value) {
        instruments.computeIfAbsent(name, n -> {
            Gauge<Long> gauge = value::getAsLong;
            groupOf(n).gauge(leafOf(n), gauge);
            return gauge;
        });
    }

    @Override
    public Timer timer(String name, String description) {
        return (Timer) instruments.computeIfAbsent(name, n -> {
            AdderCounter count = new AdderCounter();
            AdderCounter nanos = new AdderCounter();
            MetricGroup group = groupOf(n);
            group.counter(leafOf(n) + "_count", count);
            group.counter(leafOf(n) + "_total_nanos", nanos);
            return new Timer() {
                @Override
                public void record(long elapsedNanos) {
                    count.inc();
                    nanos.inc(elapsedNanos);
                }

                @Override
                public long count() {
                    return count.getCount();
                }

                @Override
                public long totalNanos() {
                    return nanos.getCount();
                }
            };
        });
    }

    private MetricGroup groupOf(String name) {
        MetricGroup group = root;
        String[] segments = name.split("\\.");
        for (int i = 0; i < segments.length - 1; i++) {
            group = group.addGroup(segments[i]);
        }
        return group;
    }

    private static String leafOf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Both an engine counter and a Flink counter; thread-safe, as the engine updates it from its threads. */
    private static final class AdderCounter implements Counter, org.apache.flink.metrics.Counter {
        private final LongAdder sum = new LongAdder();

        @Override
        public void add(long n) {
            sum.add(n);
        }

        @Override
        public long count() {
            return sum.sum();
        }

        @Override
        public void inc() {
            sum.increment();
        }

        @Override
        public void inc(long n) {
            sum.add(n);
        }

        @Override
        public void dec() {
            sum.decrement();
        }

        @Override
        public void dec(long n) {
            sum.add(-n);
        }

        @Override
        public long getCount() {
            return sum.sum();
        }
    }
}
