package io.slatedb.connect;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.Timer;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Engine metrics published as a task's Connect plugin metrics ({@code SinkTaskContext.pluginMetrics()},
 * {@code SourceTaskContext.pluginMetrics()}), which the worker reports through JMX under
 * {@code kafka.connect:type=plugins,connector=...,task=...} with the tags given here.
 *
 * <p>Names follow Kafka's convention: the engine's {@code slatedb.db.put_count} becomes
 * {@code slatedb-db-put-count}. A counter and a gauge are one metric each; a timer is three:
 * {@code -count}, {@code -total-ms} and {@code -max-ms}. Closing removes every metric this registry added,
 * so a task that closes one database and opens another (a rebalance) leaves nothing stale behind.
 */
public final class PluginMetricRegistry implements MetricRegistry, AutoCloseable {

    private final PluginMetrics metrics;
    private final LinkedHashMap<String, String> tags;
    private final Map<String, Object> instruments = new ConcurrentHashMap<>();
    private final List<MetricName> added = new ArrayList<>();

    /**
     * @param metrics the task's plugin metrics
     * @param tags    tags told apart within the task, such as the database path of a task that writes
     *                several databases; may be empty
     */
    public PluginMetricRegistry(PluginMetrics metrics, Map<String, String> tags) {
        this.metrics = metrics;
        this.tags = new LinkedHashMap<>(tags);
    }

    /** The Kafka-style metric name for an engine metric name. */
    public static String kafkaName(String engineName) {
        return engineName.toLowerCase(Locale.ROOT).replace('.', '-').replace('_', '-');
    }

    @Override
    public Counter counter(String name, String description) {
        return (Counter) instruments.computeIfAbsent(name, n -> {
            AdderCounter counter = new AdderCounter();
            add(kafkaName(n), description, counter::count);
            return counter;
        });
    }

    @Override
    public void gauge(String name, String description, LongSupplier value) {
        instruments.computeIfAbsent(name, n -> {
            add(kafkaName(n), description, value);
            return value;
        });
    }

    @Override
    public Timer timer(String name, String description) {
        return (Timer) instruments.computeIfAbsent(name, n -> {
            AdderTimer timer = new AdderTimer();
            String base = kafkaName(n);
            add(base + "-count", "How many: " + description, timer::count);
            add(base + "-total-ms", "Total milliseconds: " + description, () -> timer.totalNanos() / 1_000_000);
            add(base + "-max-ms", "Longest in milliseconds: " + description, () -> timer.maxNanos.get() / 1_000_000);
            return timer;
        });
    }

    private void add(String name, String description, LongSupplier value) {
        MetricName metricName = metrics.metricName(name, description, tags);
        metrics.addMetric(metricName, (Gauge<Long>) (config, now) -> value.getAsLong());
        synchronized (added) {
            added.add(metricName);
        }
    }

    /** Removes every metric this registry added. */
    @Override
    public void close() {
        List<MetricName> names;
        synchronized (added) {
            names = new ArrayList<>(added);
            added.clear();
        }
        for (MetricName name : names) {
            metrics.removeMetric(name);
        }
        instruments.clear();
    }

    private static final class AdderCounter implements Counter {
        private final LongAdder count = new LongAdder();

        @Override
        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a counter only grows, got " + n);
            }
            count.add(n);
        }

        @Override
        public long count() {
            return count.sum();
        }
    }

    private static final class AdderTimer implements Timer {
        private final LongAdder count = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

        @Override
        public void record(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("a duration is not negative, got " + nanos);
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
    }
}
