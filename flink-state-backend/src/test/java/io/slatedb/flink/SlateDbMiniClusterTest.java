package io.slatedb.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job on a MiniCluster with the backend selected by configuration: keyed counts survive a task failure
 * exactly (restored from a SlateDB checkpoint by a clone), and Flink's checkpoint metadata holds the
 * backend's snapshot handles.
 */
@Timeout(300)
class SlateDbMiniClusterTest {

    private static final int KEYS = 10;
    private static final int PER_KEY = 60;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Whether the injected failure happened (once per test run). */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @TempDir
    Path tmp;

    @Test
    void keyedCountsAreExactAfterATaskFailure() throws Exception {
        FAILED.set(false);
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, SlateDbStateBackendFactory.class.getName());
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("store")));
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, tmp.resolve("checkpoints").toUri().toString());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);

        // The source emits a bounded number of records per checkpoint, so records keep arriving after
        // checkpoints have completed, whatever the machine's speed.
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, (long) KEYS * PER_KEY,
                RateLimiterStrategy.perCheckpoint(KEYS * 5), Types.LONG);
        Map<Long, Long> highest = new HashMap<>();
        try (CloseableIterator<Tuple2<Long, Long>> counts = env
                .fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers")
                .keyBy(n -> n % KEYS)
                .process(new FailingCounter())
                .executeAndCollect("slatedb-counts")) {
            counts.forEachRemaining(count -> highest.merge(count.f0, count.f1, Math::max));
        }

        assertThat(FAILED).isTrue();
        Map<Long, Long> expected = new HashMap<>();
        for (long key = 0; key < KEYS; key++) {
            expected.put(key, (long) PER_KEY);
        }
        // Lost state would end below PER_KEY, records counted twice above it.
        assertThat(highest).isEqualTo(expected);
        // Every attempt of every subtask wrote its own database; the restarted ones were restored.
        assertThat(databases(tmp.resolve("store").resolve("flink"))).anyMatch(name -> name.contains("-attempt-1-"))
                .anyMatch(name -> name.contains("-attempt-0-"));
    }

    private static List<String> databases(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root, 3)) {
            return paths.filter(p -> p.getFileName().toString().startsWith("kg-")).map(p -> p.getFileName().toString())
                    .toList();
        }
    }

    /** Counts records per key in ValueState; fails once, on a record after two checkpoints completed. */
    static final class FailingCounter extends KeyedProcessFunction<Long, Long, Tuple2<Long, Long>>
            implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;
        private transient int completedCheckpoints;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Tuple2<Long, Long>> out) throws Exception {
            if (completedCheckpoints >= 2 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after a completed checkpoint");
            }
            Long current = count.value();
            long next = current == null ? 1 : current + 1;
            count.update(next);
            out.collect(Tuple2.of(context.getCurrentKey(), next));
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            completedCheckpoints++;
        }
    }
}
