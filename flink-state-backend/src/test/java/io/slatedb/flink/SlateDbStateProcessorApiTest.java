package io.slatedb.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's State Processor API on this backend: {@code SavepointReader} reads the keyed, operator list and
 * broadcast state of NATIVE and CANONICAL savepoints of a job on it, and a savepoint that
 * {@code SavepointWriter} wrote with it starts a job on it with the written state.
 */
@Timeout(300)
class SlateDbStateProcessorApiTest {

    private static final int KEYS = 10;
    private static final MapStateDescriptor<Long, String> SEEN_KEYS =
            new MapStateDescriptor<>("seen-keys", Types.LONG, Types.STRING);

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

    private Configuration config() {
        Configuration config = TestStores.jobConfig(tmp);
        config.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, tmp.resolve("savepoints").toUri().toString());
        return config;
    }

    /** The backend the State Processor API reads and writes with, on the jobs' store. */
    private SlateDbStateBackend backend() {
        SlateDbStateBackend backend = new SlateDbStateBackend();
        backend.setStore(TestStores.url(tmp.resolve("store")));
        return backend;
    }

    @Test
    void theReaderReadsKeyedListAndBroadcastStateOfNativeAndCanonicalSavepoints() throws Exception {
        SlateDbMiniClusterTest.Recorder recorder = SlateDbMiniClusterTest.Recorder.start("processor-api-original");
        JobClient job = stateful(config(), recorder.name);
        await(recorder.allKeysSeen, job);
        String nativeSavepoint = job.triggerSavepoint(tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.NATIVE).get();
        String canonicalSavepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        job.getJobExecutionResult().get();

        for (String savepoint : List.of(nativeSavepoint, canonicalSavepoint)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config());
            SavepointReader reader = SavepointReader.read(env, savepoint, backend());

            Map<Long, Long> counts = new HashMap<>();
            for (Tuple2<Long, Long> count : collect(reader.readKeyedState(OperatorIdentifier.forUid("counter"),
                    new CountReader()))) {
                assertThat(counts.put(count.f0, count.f1)).isNull();
            }
            List<Long> passed = collect(reader.readListState(OperatorIdentifier.forUid("passer"), "passed", Types.LONG));
            Map<Long, String> seenKeys = new HashMap<>();
            for (Tuple2<Long, String> seen : collect(reader.readBroadcastState(OperatorIdentifier.forUid("counter"),
                    SEEN_KEYS.getName(), Types.LONG, Types.STRING))) {
                seenKeys.put(seen.f0, seen.f1);
            }

            assertThat(counts).as(savepoint).containsOnlyKeys(LongStream.range(0, KEYS).boxed().toList())
                    .allSatisfy((key, count) -> assertThat(count).isPositive());
            // Exactly once: each record the mapper passed before the barrier was counted before it.
            assertThat(passed).as(savepoint).hasSize(2);
            assertThat(passed.stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(counts.values().stream().mapToLong(Long::longValue).sum());
            assertThat(seenKeys).as(savepoint).containsOnlyKeys(LongStream.range(0, KEYS).boxed().toList())
                    .allSatisfy((key, value) -> assertThat(value).isEqualTo("seen"));
        }
    }

    @Test
    void aSavepointTheWriterWroteWithThisBackendStartsAJobOnIt() throws Exception {
        String savepoint = tmp.resolve("written").toUri().toString();
        StreamExecutionEnvironment writing = StreamExecutionEnvironment.getExecutionEnvironment(config());
        DataStream<Long> keys = writing.fromData(LongStream.range(0, KEYS).boxed().toList());
        SavepointWriter.newSavepoint(writing, backend(), 128)
                .withOperator(OperatorIdentifier.forUid("counter"),
                        OperatorTransformation.bootstrapWith(keys).keyBy(n -> n % KEYS).transform(new CountWriter()))
                .write(savepoint);
        writing.execute("write-savepoint");

        SlateDbMiniClusterTest.Recorder recorder = SlateDbMiniClusterTest.Recorder.start("processor-api-written");
        Configuration config = config();
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient job = counting(config, recorder.name);
        await(recorder.allKeysSeen, job);
        job.cancel().get();
        assertThat(job.getJobExecutionResult()).failsWithin(Duration.ofMinutes(2));

        Map<Long, Long> continued = new HashMap<>();
        for (long key = 0; key < KEYS; key++) {
            continued.put(key, 100 * key + 1);
        }
        assertThat(recorder.lowest).isEqualTo(continued);
    }

    private static <T> List<T> collect(DataStream<T> stream) throws Exception {
        List<T> all = new ArrayList<>();
        try (CloseableIterator<T> it = stream.executeAndCollect()) {
            it.forEachRemaining(all::add);
        }
        return all;
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

    private static DataStream<Long> numbers(StreamExecutionEnvironment env) {
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perCheckpoint(KEYS * 5), Types.LONG);
        return env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers");
    }

    /** Counts per key (keyed state), records passed per subtask (list state), keys seen (broadcast state). */
    private static JobClient stateful(Configuration config, String recorder) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        DataStream<Long> passed = numbers(env).map(new Passer()).uid("passer");
        BroadcastStream<Long> broadcast = passed.broadcast(SEEN_KEYS);
        passed.keyBy(n -> n % KEYS)
                .connect(broadcast)
                .process(new BroadcastCounter()).uid("counter")
                .sinkTo(new SlateDbMiniClusterTest.RecordingSink(recorder)).uid("recorder");
        return env.executeAsync("processor-api-" + recorder);
    }

    /** The plain counting job of {@link SlateDbMiniClusterTest}: its counter's state is a ValueState "count". */
    private static JobClient counting(Configuration config, String recorder) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        numbers(env).keyBy(n -> n % KEYS)
                .process(new SlateDbMiniClusterTest.Counter()).uid("counter")
                .sinkTo(new SlateDbMiniClusterTest.RecordingSink(recorder)).uid("recorder");
        return env.executeAsync("processor-api-" + recorder);
    }

    /** Passes records on and keeps how many it passed in operator list state. */
    static final class Passer extends RichMapFunction<Long, Long> implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private transient ListState<Long> state;
        private transient long passed;

        @Override
        public Long map(Long value) {
            passed++;
            return value;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(List.of(passed));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("passed", Types.LONG));
            for (Long restored : state.get()) {
                passed += restored;
            }
        }
    }

    /** Counts per key in ValueState "count"; notes every key seen in broadcast state. */
    static final class BroadcastCounter extends KeyedBroadcastProcessFunction<Long, Long, Long, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, ReadOnlyContext context, Collector<Tuple2<Long, Long>> out)
                throws Exception {
            Long current = count.value();
            long next = current == null ? 1 : current + 1;
            count.update(next);
            out.collect(Tuple2.of(context.getCurrentKey(), next));
        }

        @Override
        public void processBroadcastElement(Long value, Context context, Collector<Tuple2<Long, Long>> out)
                throws Exception {
            BroadcastState<Long, String> seen = context.getBroadcastState(SEEN_KEYS);
            seen.put(value % KEYS, "seen");
        }
    }

    /** Reads ValueState "count" per key. */
    static final class CountReader extends KeyedStateReaderFunction<Long, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void readKey(Long key, Context context, Collector<Tuple2<Long, Long>> out) throws Exception {
            out.collect(Tuple2.of(key, count.value()));
        }
    }

    /** Writes ValueState "count" = 100 × key. */
    static final class CountWriter extends KeyedStateBootstrapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context) throws Exception {
            count.update(100 * context.getCurrentKey());
        }
    }
}
