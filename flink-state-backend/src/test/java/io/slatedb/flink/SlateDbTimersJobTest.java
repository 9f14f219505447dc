package io.slatedb.flink;

import io.slatedb.flink.SlateDbOptions.TimerServiceFactory;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timers survive a restore from a retained checkpoint, with the timers in the database, on the heap, and
 * with a restore that switches between the two:
 * a job registers event-time and processing-time timers (and deletes one) per key, is cancelled after a
 * checkpoint that holds them, and a second job restored from that checkpoint at another parallelism
 * fires exactly the registered timers.
 */
@Timeout(300)
class SlateDbTimersJobTest {

    private static final int KEYS = 12;
    private static final long WATERMARK_AFTER_RESTORE = 10_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestStores.miniCluster();

    @TempDir
    static Path tmpRoot;

    // What the jobs' functions report; one test runs at a time.
    static final AtomicInteger REGISTERED_KEYS = new AtomicInteger();
    /** The first checkpoint whose snapshot came after every key's registration, or MAX_VALUE. */
    static final AtomicLong FIRST_CHECKPOINT_AFTER_REGISTRATION = new AtomicLong(Long.MAX_VALUE);
    static volatile CountDownLatch checkpointHoldsTimers;
    static final Set<String> FIRED = ConcurrentHashMap.newKeySet();
    static final AtomicInteger FIRINGS = new AtomicInteger();
    static volatile CountDownLatch allFired;

    private Configuration config(Path tmp, TimerServiceFactory timers) {
        Configuration config = TestStores.jobConfig(tmp);
        config.set(SlateDbOptions.TIMER_SERVICE_FACTORY, timers);
        config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return config;
    }

    /** Each timer factory, and a restore that switches from one to the other. */
    static Stream<Arguments> factories() {
        return Stream.of(
                Arguments.of(TimerServiceFactory.SLATEDB, TimerServiceFactory.SLATEDB),
                Arguments.of(TimerServiceFactory.HEAP, TimerServiceFactory.HEAP),
                Arguments.of(TimerServiceFactory.SLATEDB, TimerServiceFactory.HEAP),
                Arguments.of(TimerServiceFactory.HEAP, TimerServiceFactory.SLATEDB));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource("factories")
    void timersFireExactlyOnceAfterARestoreFromARetainedCheckpoint(TimerServiceFactory timers,
                                                                   TimerServiceFactory restoredTimers)
            throws Exception {
        Path tmp = Files.createDirectories(tmpRoot.resolve(timers.name() + "-" + restoredTimers.name()));
        REGISTERED_KEYS.set(0);
        FIRST_CHECKPOINT_AFTER_REGISTRATION.set(Long.MAX_VALUE);
        checkpointHoldsTimers = new CountDownLatch(1);
        FIRED.clear();
        FIRINGS.set(0);
        allFired = new CountDownLatch(3 * KEYS);

        // First job: no watermarks, so no event-time timer fires; processing-time timers re-arm themselves.
        JobClient first = job(config(tmp, timers), 2, false, WatermarkStrategy.noWatermarks());
        await(checkpointHoldsTimers, first);
        first.cancel().get();
        assertThat(first.getJobExecutionResult()).failsWithin(Duration.ofMinutes(2));
        assertThat(FIRED).as("no timer of the first job reaches the sink").isEmpty();

        // Second job, from the first job's last retained checkpoint, at parallelism 3: the watermark
        // passes every event-time timer, and the restored processing-time timers are due.
        Configuration restored = config(tmp, restoredTimers);
        restored.set(StateRecoveryOptions.SAVEPOINT_PATH, lastRetainedCheckpoint(tmp.resolve("checkpoints")).toUri().toString());
        JobClient second = job(restored, 3, true, WatermarkStrategy.<Long>forMonotonousTimestamps()
                .withTimestampAssigner((n, previous) -> WATERMARK_AFTER_RESTORE));
        await(allFired, second);
        second.cancel().get();
        assertThat(second.getJobExecutionResult()).failsWithin(Duration.ofMinutes(2));

        Set<String> expected = new HashSet<>();
        for (long key = 0; key < KEYS; key++) {
            expected.add(key + "/event/" + (100 + key));
            expected.add(key + "/event/" + (200 + key));
            expected.add(key + "/processing");
        }
        assertThat(FIRED).isEqualTo(expected);
        assertThat(FIRINGS).hasValue(3 * KEYS);
    }

    private static JobClient job(Configuration config, int parallelism, boolean restored,
                                 WatermarkStrategy<Long> watermarks) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(200), Types.LONG);
        env.fromSource(numbers, watermarks, "numbers").uid("numbers")
                .keyBy(n -> n % KEYS)
                .process(new TimerFunction(restored)).uid("timers")
                .sinkTo(new FiredSink()).uid("fired");
        return env.executeAsync("slatedb-timers-" + (restored ? "restored" : "first"));
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
        assertThat(latch.getCount()).as("the job ended before the awaited event").isZero();
    }

    private static Path lastRetainedCheckpoint(Path checkpoints) throws Exception {
        try (Stream<Path> metadata = Files.walk(checkpoints, 3)) {
            return metadata.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring("chk-".length()))))
                    .orElseThrow();
        }
    }

    /**
     * On each key's first record (first job only): event-time timers at 100+key and 200+key, one at
     * 300+key deleted again, and a processing-time timer that re-arms itself while in the first job, so
     * that each key always has exactly one pending. Every firing in the second job is reported.
     */
    static final class TimerFunction extends KeyedProcessFunction<Long, Long, String>
            implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final boolean restored;
        private transient ValueState<Boolean> registered;

        TimerFunction(boolean restored) {
            this.restored = restored;
        }

        @Override
        public void open(OpenContext context) {
            registered = getRuntimeContext().getState(new ValueStateDescriptor<>("registered", Types.BOOLEAN));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) throws Exception {
            if (restored || registered.value() != null) {
                return;
            }
            long key = context.getCurrentKey();
            context.timerService().registerEventTimeTimer(100 + key);
            context.timerService().registerEventTimeTimer(200 + key);
            context.timerService().registerEventTimeTimer(300 + key);
            context.timerService().deleteEventTimeTimer(300 + key);
            context.timerService().registerProcessingTimeTimer(context.timerService().currentProcessingTime() + 20);
            registered.update(true);
            REGISTERED_KEYS.incrementAndGet();
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            long key = context.getCurrentKey();
            boolean processing = context.timeDomain() == org.apache.flink.streaming.api.TimeDomain.PROCESSING_TIME;
            if (!restored) {
                if (processing) {
                    context.timerService().registerProcessingTimeTimer(context.timerService().currentProcessingTime() + 20);
                } else {
                    out.collect("unexpected event-time timer before the restore: " + key + "/" + timestamp);
                }
                return;
            }
            out.collect(processing ? key + "/processing" : key + "/event/" + timestamp);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (!restored && REGISTERED_KEYS.get() == KEYS) {
                FIRST_CHECKPOINT_AFTER_REGISTRATION.accumulateAndGet(context.getCheckpointId(), Math::min);
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            // One checkpoint at a time: a later checkpoint was triggered after every subtask's snapshot
            // of the first one, so after every registration.
            if (!restored && checkpointId > FIRST_CHECKPOINT_AFTER_REGISTRATION.get()) {
                checkpointHoldsTimers.countDown();
            }
        }
    }

    /** Reports every timer firing of the second job. */
    static final class FiredSink implements Sink<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(String fired, Context context) {
                    FIRED.add(fired);
                    FIRINGS.incrementAndGet();
                    allFired.countDown();
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
}
