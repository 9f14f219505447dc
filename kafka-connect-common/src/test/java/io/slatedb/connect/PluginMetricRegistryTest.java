package io.slatedb.connect;

import io.slatedb.Db;
import io.slatedb.metrics.Counter;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.metrics.Timer;
import io.slatedb.store.InMemoryObjectStore;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PluginMetricRegistryTest {

    private final Metrics metrics = new Metrics();
    private final PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, Map.of("connector", "c1", "task", "0"));

    @AfterEach
    void close() throws Exception {
        plugin.close();
        metrics.close();
    }

    @Test
    void instrumentsBecomeTaggedGaugesWithKafkaStyleNames() {
        PluginMetricRegistry registry = new PluginMetricRegistry(plugin, Map.of("database", "orders"));
        Counter counter = registry.counter("slatedb.db.put_count", "puts");
        assertSame(counter, registry.counter("slatedb.db.put_count", "puts"), "one instrument per name");
        counter.add(3);
        Timer timer = registry.timer("object_store.get.latency", "gets");
        timer.record(5_000_000);
        timer.record(1_000_000);
        registry.gauge("slatedb.db.cache_bytes", "cached", () -> 42);

        assertEquals(3.0, value("slatedb-db-put-count").orElseThrow());
        assertEquals(2.0, value("object-store-get-latency-count").orElseThrow());
        assertEquals(6.0, value("object-store-get-latency-total-ms").orElseThrow());
        assertEquals(5.0, value("object-store-get-latency-max-ms").orElseThrow());
        assertEquals(42.0, value("slatedb-db-cache-bytes").orElseThrow());
        MetricName name = find("slatedb-db-put-count").orElseThrow().metricName();
        assertEquals("orders", name.tags().get("database"));
        assertEquals("c1", name.tags().get("connector"));
        assertEquals("0", name.tags().get("task"));

        registry.close();
        assertTrue(find("slatedb-db-put-count").isEmpty(), "closing removes the metrics");
        assertTrue(find("object-store-get-latency-count").isEmpty());
    }

    @Test
    void aDatabasePublishesItsEngineMetrics() {
        try (PluginMetricRegistry registry = new PluginMetricRegistry(plugin, Map.of());
             Db db = Db.builder("db", new InMemoryObjectStore()).withMetrics(registry).build()) {
            db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            db.put("k2".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            assertEquals(2.0, value(PluginMetricRegistry.kafkaName(SlateDbMetricNames.Db.PUT_COUNT)).orElseThrow());
        }
    }

    private Optional<Double> value(String name) {
        return find(name).map(metric -> ((Number) metric.metricValue()).doubleValue());
    }

    private Optional<KafkaMetric> find(String name) {
        return metrics.metrics().values().stream().filter(m -> m.metricName().name().equals(name)).findFirst();
    }
}
