package io.slatedb.flink;

import io.slatedb.flink.metrics.FlinkMetricRegistry;
import io.slatedb.metrics.Counter;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.metrics.Timer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's metrics reach the operator's Flink metric group. */
@Timeout(60)
class SlateDbMetricsTest {

    @TempDir
    Path tmp;

    /** A metric group that records every metric under its dotted group path. */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        private final String prefix;
        private final Map<String, Metric> metrics;

        RecordingGroup(String prefix, Map<String, Metric> metrics) {
            this.prefix = prefix;
            this.metrics = metrics;
        }

        @Override
        public <C extends org.apache.flink.metrics.Counter> C counter(String name, C counter) {
            metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(prefix + name, gauge);
            return gauge;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(prefix + name + ".", metrics);
        }
    }

    @Test
    void engineInstrumentsBecomeFlinkMetricsInNestedGroups() {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        FlinkMetricRegistry registry = new FlinkMetricRegistry(new RecordingGroup("", metrics));

        Counter counter = registry.counter("slatedb.db.write_ops", "writes");
        counter.add(3);
        assertThat(registry.counter("slatedb.db.write_ops", "writes")).isSameAs(counter);
        registry.gauge("slatedb.db.l0_sst_count", "L0 SSTs", () -> 7);
        Timer timer = registry.timer("object_store.get.latency", "get latency");
        timer.record(1_000);
        timer.record(500);

        assertThat(((org.apache.flink.metrics.Counter) metrics.get("slatedb.db.write_ops")).getCount()).isEqualTo(3);
        assertThat(((Gauge<?>) metrics.get("slatedb.db.l0_sst_count")).getValue()).isEqualTo(7L);
        assertThat(((org.apache.flink.metrics.Counter) metrics.get("object_store.get.latency_count")).getCount()).isEqualTo(2);
        assertThat(((org.apache.flink.metrics.Counter) metrics.get("object_store.get.latency_total_nanos")).getCount())
                .isEqualTo(1_500);
        assertThat(timer.count()).isEqualTo(2);
    }

    @Test
    void aKeyedBackendPublishesItsDatabaseMetricsToTheOperatorGroup() throws Exception {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        Configuration config = new Configuration();
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("store")));
        SlateDbStateBackend stateBackend = new SlateDbStateBackend().configure(config, getClass().getClassLoader());
        try (MockEnvironment env = MockEnvironment.builder().build()) {
            AbstractKeyedStateBackend<Integer> backend = stateBackend.createKeyedStateBackend(
                    new KeyedStateBackendParametersImpl<>(env, new JobID(), "op", IntSerializer.INSTANCE, 128,
                            new KeyGroupRange(0, 127), env.getTaskKvStateRegistry(), TtlTimeProvider.DEFAULT,
                            new RecordingGroup("", metrics), List.of(), new CloseableRegistry()));
            try {
                ValueStateDescriptor<String> values = new ValueStateDescriptor<>("values", StringSerializer.INSTANCE);
                for (int key = 0; key < 10; key++) {
                    backend.setCurrentKey(key);
                    backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, values)
                            .update("v");
                }
                Metric writes = metrics.get(SlateDbMetricNames.Db.WRITE_OPS);
                assertThat(writes).isInstanceOf(org.apache.flink.metrics.Counter.class);
                assertThat(((org.apache.flink.metrics.Counter) writes).getCount()).isGreaterThanOrEqualTo(10);
            } finally {
                backend.dispose();
            }
        }
    }
}
