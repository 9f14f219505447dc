package io.slatedb.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs on a MiniCluster with the backend selected by configuration: keyed counts survive a task failure
 * exactly (restored from a SlateDB checkpoint by a clone), and a fork started from a NATIVE savepoint at
 * another parallelism (NO_CLAIM, so its first checkpoint is a forced full one) continues every count.
 */
@Timeout(300)
class SlateDbMiniClusterTest {

    private static final int KEYS = 10;
    private static final int PER_KEY = 60;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestStores.miniCluster();

    /** Whether the injected failure happened (once per test run). */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /**
     * Static, so that it is deleted after the cluster shut down: the job manager deletes discarded
     * checkpoints' SlateDB checkpoints in the background, also after a job ended.
     */
    @TempDir
    static Path tmpRoot;

    private Path tmp;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        tmp = TestStores.methodDirectory(tmpRoot, test);
    }

    /** The backend selected by configuration only, checkpoints every 100 ms. */
    private Configuration config() {
        Configuration config = TestStores.jobConfig(tmp);
        config.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, tmp.resolve("savepoints").toUri().toString());
        return config;
    }

    @Test
    void keyedCountsAreExactAfterATaskFailure() throws Exception {
        FAILED.set(false);
        Configuration config = config();
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

    @Test
    void aForkFromANativeSavepointAtAnotherParallelismContinuesEveryCount() throws Exception {
        Recorder original = Recorder.start("original");
        JobClient job = counting(config(), 2, original.name);
        await(original.allKeysSeen, job);
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.NATIVE).get();
        job.getJobExecutionResult().get();

        Recorder fork = Recorder.start("fork");
        Configuration forkConfig = config();
        forkConfig.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        forkConfig.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.NO_CLAIM);
        JobClient forked = counting(forkConfig, 3, fork.name);
        await(fork.allKeysSeen, forked);
        // Past the first (forced full) checkpoint after the NO_CLAIM restore: the source paces by checkpoints.
        await(fork.records, forked);
        forked.cancel().get();
        // The job's tasks have disposed their backends once it reached its terminal state.
        assertThat(forked.getJobExecutionResult()).failsWithin(Duration.ofMinutes(2));

        Map<Long, Long> continued = new HashMap<>();
        original.highest.forEach((key, count) -> continued.put(key, count + 1));
        assertThat(original.highest).hasSize(KEYS);
        assertThat(fork.lowest).isEqualTo(continued);
    }

    @Test
    void asyncStateRunsThroughFlinksAdaptorWithExactCounts() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config());
        env.setParallelism(2);
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, (long) KEYS * PER_KEY,
                RateLimiterStrategy.noOp(), Types.LONG);
        Map<Long, Long> highest = new HashMap<>();
        long records = 0;
        try (CloseableIterator<Tuple2<Long, Long>> counts = env
                .fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers")
                .keyBy(n -> n % KEYS)
                .enableAsyncState()
                .process(new AsyncCounter())
                .executeAndCollect("slatedb-async-counts")) {
            while (counts.hasNext()) {
                Tuple2<Long, Long> count = counts.next();
                highest.merge(count.f0, count.f1, Math::max);
                records++;
            }
        }

        assertThat(records).isEqualTo((long) KEYS * PER_KEY);
        assertThat(highest).hasSize(KEYS).allSatisfy((key, count) -> assertThat(count).isEqualTo((long) PER_KEY));
        assertThat(databases(tmp.resolve("store").resolve("flink"))).isNotEmpty();
    }

    /** Counts records per key in State V2 ValueState, asynchronously. */
    static final class AsyncCounter extends KeyedProcessFunction<Long, Long, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private transient org.apache.flink.api.common.state.v2.ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            count = getRuntimeContext().getState(
                    new org.apache.flink.api.common.state.v2.ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Tuple2<Long, Long>> out) {
            Long key = context.getCurrentKey();
            count.asyncValue().thenAccept(current -> {
                long next = current == null ? 1 : current + 1;
                count.asyncUpdate(next);
                out.collect(Tuple2.of(key, next));
            });
        }
    }

    /** Waits for {@code latch}, failing at once when the (unbounded) job ends first. */
    private static void await(CountDownLatch latch, JobClient job) throws Exception {
        CompletableFuture<Void> reached = CompletableFuture.runAsync(() -> {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture.anyOf(reached, job.getJobExecutionResult()).get();
        assertThat(latch.getCount()).as("the job ended before the awaited records").isZero();
    }

    /** An unbounded counting job: the records' counts per key go to the recorder {@code recorder}. */
    private static JobClient counting(Configuration config, int parallelism, String recorder) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perCheckpoint(KEYS * 5), Types.LONG);
        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                .keyBy(n -> n % KEYS)
                .process(new Counter()).uid("counter")
                .sinkTo(new RecordingSink(recorder)).uid("recorder");
        return env.executeAsync("slatedb-" + recorder);
    }

    /** What a job's sink saw: the lowest and highest count per key. */
    static final class Recorder {
        static final Map<String, Recorder> BY_NAME = new ConcurrentHashMap<>();
        final String name;
        final Map<Long, Long> lowest = new ConcurrentHashMap<>();
        final Map<Long, Long> highest = new ConcurrentHashMap<>();
        final CountDownLatch allKeysSeen = new CountDownLatch(KEYS);
        final CountDownLatch records = new CountDownLatch(KEYS * 20);

        private Recorder(String name) {
            this.name = name;
        }

        static Recorder start(String name) {
            Recorder recorder = new Recorder(name);
            BY_NAME.put(name, recorder);
            return recorder;
        }

        void record(Tuple2<Long, Long> count) {
            if (lowest.putIfAbsent(count.f0, count.f1) == null) {
                allKeysSeen.countDown();
            }
            lowest.merge(count.f0, count.f1, Math::min);
            highest.merge(count.f0, count.f1, Math::max);
            records.countDown();
        }
    }

    static final class RecordingSink implements Sink<Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private final String recorder;

        RecordingSink(String recorder) {
            this.recorder = recorder;
        }

        @Override
        public SinkWriter<Tuple2<Long, Long>> createWriter(WriterInitContext context) {
            Recorder target = Recorder.BY_NAME.get(recorder);
            return new SinkWriter<>() {
                @Override
                public void write(Tuple2<Long, Long> element, Context context) {
                    target.record(element);
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Counts records per key in ValueState and emits each new count. */
    static final class Counter extends KeyedProcessFunction<Long, Long, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Tuple2<Long, Long>> out) throws Exception {
            Long current = count.value();
            long next = current == null ? 1 : current + 1;
            count.update(next);
            out.collect(Tuple2.of(context.getCurrentKey(), next));
        }
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
