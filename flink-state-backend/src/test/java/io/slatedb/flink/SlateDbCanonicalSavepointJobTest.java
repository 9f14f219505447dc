package io.slatedb.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs moving keyed state (value, list, map and reducing state, and an event-time timer per key) through
 * CANONICAL savepoints between this backend and Flink's heap and RocksDB backends, in both directions and
 * at another parallelism: every count continues exactly where the savepoint left it, and every restored
 * timer fires once the restored job's watermark passes it.
 */
@Timeout(300)
class SlateDbCanonicalSavepointJobTest {

    private static final int KEYS = 10;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestStores.miniCluster();

    /** Static: the job manager deletes discarded checkpoints in the background, also after a job ended. */
    @TempDir
    static Path tmpRoot;

    private Path tmp;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        tmp = TestStores.methodDirectory(tmpRoot, test);
    }

    private enum Backend { SLATEDB, SLATEDB_HEAP_TIMERS, HEAP, ROCKSDB }

    private Configuration config(Backend backend) {
        Configuration config = TestStores.jobConfig(tmp);
        config.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, tmp.resolve("savepoints").toUri().toString());
        switch (backend) {
            case HEAP -> config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            case ROCKSDB -> config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            case SLATEDB_HEAP_TIMERS -> config.set(SlateDbOptions.TIMER_SERVICE_FACTORY,
                    SlateDbOptions.TimerServiceFactory.HEAP);
            default -> { }
        }
        return config;
    }

    @Test
    void thisBackendsCanonicalSavepointContinuesOnTheHeapAndRocksDbBackendsAndHereAtAnotherParallelism()
            throws Exception {
        Recorder original = Recorder.start("slatedb-original");
        String savepoint = runAndStopWithCanonicalSavepoint(Backend.SLATEDB, 2, original);

        continuesFrom(savepoint, original, Backend.HEAP, 2, "heap-fork");
        continuesFrom(savepoint, original, Backend.ROCKSDB, 2, "rocksdb-fork");
        continuesFrom(savepoint, original, Backend.SLATEDB, 3, "slatedb-fork-3");
    }

    @Test
    void canonicalSavepointsOfTheHeapAndRocksDbBackendsContinueHere() throws Exception {
        Recorder heap = Recorder.start("heap-original");
        continuesFrom(runAndStopWithCanonicalSavepoint(Backend.HEAP, 2, heap), heap, Backend.SLATEDB, 2,
                "from-heap");
        Recorder rocksDb = Recorder.start("rocksdb-original");
        continuesFrom(runAndStopWithCanonicalSavepoint(Backend.ROCKSDB, 2, rocksDb), rocksDb, Backend.SLATEDB, 3,
                "from-rocksdb");
    }

    @Test
    void withHeapTimersTheTimersTravelInTheOperatorsRawKeyedState() throws Exception {
        Recorder original = Recorder.start("heap-timers-original");
        continuesFrom(runAndStopWithCanonicalSavepoint(Backend.SLATEDB_HEAP_TIMERS, 2, original), original,
                Backend.HEAP, 2, "heap-timers-to-heap");
    }

    private String runAndStopWithCanonicalSavepoint(Backend backend, int parallelism, Recorder recorder)
            throws Exception {
        JobClient job = job(config(backend), parallelism, recorder.name, false);
        await(recorder.allKeysSeen, job);
        await(recorder.records, job);
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        job.getJobExecutionResult().get();
        assertThat(recorder.highest).hasSize(KEYS);
        assertThat(recorder.inconsistent).isEmpty();
        assertThat(recorder.timersFired).as("no watermark in the original job").isEmpty();
        return savepoint;
    }

    /** Starts a job on {@code backend} from {@code savepoint} and checks that every key continued and its timer fired. */
    private void continuesFrom(String savepoint, Recorder original, Backend backend, int parallelism, String name)
            throws Exception {
        Recorder fork = Recorder.start(name);
        Configuration config = config(backend);
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        config.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.NO_CLAIM);
        JobClient job = job(config, parallelism, name, true);
        await(fork.allKeysSeen, job);
        await(fork.allTimersFired, job);
        job.cancel().get();
        assertThat(job.getJobExecutionResult()).failsWithin(Duration.ofMinutes(2));

        Map<Long, Long> continued = new HashMap<>();
        original.highest.forEach((key, count) -> continued.put(key, count + 1));
        assertThat(fork.lowest).as(name).isEqualTo(continued);
        assertThat(fork.inconsistent).as(name).isEmpty();
        assertThat(fork.timersFired).as(name).containsOnlyKeys(continued.keySet())
                .allSatisfy((key, fired) -> assertThat(fired).isEqualTo(1));
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

    /**
     * An unbounded job counting records per key in four kinds of state; with {@code watermarks} the
     * event time advances (record values as timestamps), so the timers registered at time 0 fire.
     */
    private static JobClient job(Configuration config, int parallelism, String recorder, boolean watermarks)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perCheckpoint(KEYS * 5), Types.LONG);
        WatermarkStrategy<Long> time = watermarks
                ? WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((n, ts) -> n)
                : WatermarkStrategy.noWatermarks();
        env.fromSource(numbers, time, "numbers").uid("numbers")
                .keyBy(n -> n % KEYS)
                .process(new StateCounter()).uid("counter")
                .sinkTo(new RecordingSink(recorder)).uid("recorder");
        return env.executeAsync("canonical-" + recorder);
    }

    /** {@code [key, count, list size, map total, reduced sum]}, or {@code [key, -1, ...]} when the key's timer fired. */
    static final class StateCounter extends KeyedProcessFunction<Long, Long, long[]> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;
        private transient ListState<Long> seen;
        private transient MapState<String, Long> parities;
        private transient ReducingState<Long> total;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            seen = getRuntimeContext().getListState(new ListStateDescriptor<>("seen", Types.LONG));
            parities = getRuntimeContext().getMapState(new MapStateDescriptor<>("parities", Types.STRING, Types.LONG));
            total = getRuntimeContext().getReducingState(new ReducingStateDescriptor<>("total", Long::sum, Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context, Collector<long[]> out) throws Exception {
            Long current = count.value();
            long next = current == null ? 1 : current + 1;
            count.update(next);
            seen.add(value);
            String parity = value % 2 == 0 ? "even" : "odd";
            Long ofParity = parities.get(parity);
            parities.put(parity, ofParity == null ? 1 : ofParity + 1);
            total.add(1L);
            if (next == 1) {
                // Only the original job registers it: a restored one finds its count restored.
                context.timerService().registerEventTimeTimer(0);
            }
            long listSize = 0;
            for (Long ignored : seen.get()) {
                listSize++;
            }
            long mapTotal = 0;
            for (Long n : parities.values()) {
                mapTotal += n;
            }
            out.collect(new long[] {context.getCurrentKey(), next, listSize, mapTotal, total.get()});
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<long[]> out) {
            out.collect(new long[] {context.getCurrentKey(), -1, 0, 0, 0});
        }
    }

    /** What a job's sink saw. */
    static final class Recorder {
        static final Map<String, Recorder> BY_NAME = new ConcurrentHashMap<>();
        final String name;
        final Map<Long, Long> lowest = new ConcurrentHashMap<>();
        final Map<Long, Long> highest = new ConcurrentHashMap<>();
        final Map<Long, Integer> timersFired = new ConcurrentHashMap<>();
        /** Records whose four states disagree. */
        final Queue<String> inconsistent = new ConcurrentLinkedQueue<>();
        final CountDownLatch allKeysSeen = new CountDownLatch(KEYS);
        final CountDownLatch allTimersFired = new CountDownLatch(KEYS);
        final CountDownLatch records = new CountDownLatch(KEYS * 10);

        private Recorder(String name) {
            this.name = name;
        }

        static Recorder start(String name) {
            Recorder recorder = new Recorder(name);
            BY_NAME.put(name, recorder);
            return recorder;
        }

        void record(long[] record) {
            long key = record[0];
            if (record[1] < 0) {
                if (timersFired.merge(key, 1, Integer::sum) == 1) {
                    allTimersFired.countDown();
                }
                return;
            }
            if (record[2] != record[1] || record[3] != record[1] || record[4] != record[1]) {
                inconsistent.add(java.util.Arrays.toString(record));
            }
            if (lowest.putIfAbsent(key, record[1]) == null) {
                allKeysSeen.countDown();
            }
            lowest.merge(key, record[1], Math::min);
            highest.merge(key, record[1], Math::max);
            records.countDown();
        }
    }

    static final class RecordingSink implements Sink<long[]> {
        private static final long serialVersionUID = 1L;
        private final String recorder;

        RecordingSink(String recorder) {
            this.recorder = recorder;
        }

        @Override
        public SinkWriter<long[]> createWriter(WriterInitContext context) {
            Recorder target = Recorder.BY_NAME.get(recorder);
            return new SinkWriter<>() {
                @Override
                public void write(long[] element, Context context) {
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
}
