package io.slatedb.flink;

import io.slatedb.Admin;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole jobs on a MiniCluster of two task managers: a retained (externalized) checkpoint restores into
 * a new job, at the same parallelism and rescaled 3 to 1, and a job survives losing a task manager, with
 * exact counts per key each time.
 */
@Timeout(300)
class SlateDbRecoveryJobTest {

    private static final int KEYS = 10;
    private static final int PER_KEY = 60;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Deleted after the cluster shut down (the job manager discards checkpoints in the background). */
    @TempDir
    static Path tmpRoot;

    private Path tmp;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        tmp = TestStores.methodDirectory(tmpRoot, test);
    }

    private Configuration config() {
        Configuration config = TestStores.jobConfig(tmp);
        config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return config;
    }

    /**
     * A bounded counting job: {@code KEYS * PER_KEY} numbers, a batch per checkpoint so that records keep
     * coming after checkpoints completed; counts go to the recorder {@code name}.
     */
    private static JobClient counting(Configuration config, int parallelism, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, (long) KEYS * PER_KEY,
                RateLimiterStrategy.perCheckpoint(KEYS * 2), Types.LONG);
        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                .keyBy(n -> n % KEYS)
                .process(new CheckpointedCounter(name)).uid("counter")
                .sinkTo(new SlateDbMiniClusterTest.RecordingSink(name)).uid("recorder");
        return env.executeAsync("slatedb-" + name);
    }

    private static Map<Long, Long> everyKey(long count) {
        Map<Long, Long> expected = new HashMap<>();
        for (long key = 0; key < KEYS; key++) {
            expected.put(key, count);
        }
        return expected;
    }

    @Test
    void aRetainedCheckpointRestoresIntoANewJobWithExactCounts() throws Exception {
        restoresFromARetainedCheckpoint(3, 3);
    }

    @Test
    void aRetainedCheckpointRestoresRescaledFromThreeToOne() throws Exception {
        restoresFromARetainedCheckpoint(3, 1);
    }

    private void restoresFromARetainedCheckpoint(int before, int after) throws Exception {
        String first = "first-" + before + "-" + after;
        SlateDbMiniClusterTest.Recorder.start(first);
        CountDownLatch checkpoints = CheckpointedCounter.expect(first, 2);
        JobClient job = counting(config(), before, first);
        assertThat(checkpoints.await(120, TimeUnit.SECONDS)).as("two checkpoints completed").isTrue();
        job.cancel().get();
        Path retained = latestRetainedCheckpoint(tmp.resolve("checkpoints").resolve(job.getJobID().toString()));

        String second = "second-" + before + "-" + after;
        SlateDbMiniClusterTest.Recorder recorder = SlateDbMiniClusterTest.Recorder.start(second);
        CheckpointedCounter.expect(second, 0);
        Configuration restore = config();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, retained.toUri().toString());
        counting(restore, after, second).getJobExecutionResult().get();

        // Lost state would end below PER_KEY, records counted twice above it.
        assertThat(recorder.highest).isEqualTo(everyKey(PER_KEY));
        // The new job started from the retained state, not from nothing.
        assertThat(recorder.lowest.values()).anyMatch(count -> count > 1);
        // The new job (NO_CLAIM) left the retained checkpoint's SlateDB checkpoints in place.
        assertThat(slateDbCheckpointsOfJob(job.getJobID().toString())).isPositive();
    }

    @Test
    void countsAreExactAfterATaskManagerIsLost(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        String name = "tm-loss";
        SlateDbMiniClusterTest.Recorder recorder = SlateDbMiniClusterTest.Recorder.start(name);
        CountDownLatch checkpoints = CheckpointedCounter.expect(name, 2);
        // Four subtasks in the cluster's four slots: both task managers run some.
        JobClient job = counting(config(), 4, name);
        assertThat(checkpoints.await(120, TimeUnit.SECONDS)).as("two checkpoints completed").isTrue();

        miniCluster.terminateTaskManager(0).get();
        miniCluster.startTaskManager();
        job.getJobExecutionResult().get();

        assertThat(recorder.highest).isEqualTo(everyKey(PER_KEY));
        // The loss restarted the subtasks: later attempts restored into databases of their own.
        try (Stream<Path> paths = Files.walk(tmp.resolve("store").resolve("flink"), 3)) {
            assertThat(paths.map(p -> p.getFileName().toString())).anyMatch(database -> database.matches("kg-.*-attempt-[1-9].*"));
        }
    }

    private static Path latestRetainedCheckpoint(Path jobCheckpoints) throws Exception {
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> Files.exists(dir.resolve("_metadata")))
                    .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobCheckpoints));
        }
    }

    /** The SlateDB checkpoints named by Flink checkpoints in the databases of job {@code jobId}. */
    private long slateDbCheckpointsOfJob(String jobId) throws Exception {
        Path root = tmp.resolve("store").resolve("flink").resolve(jobId);
        List<Path> databases;
        try (Stream<Path> paths = Files.walk(root, 2)) {
            databases = paths.filter(p -> p.getFileName().toString().startsWith("kg-")).toList();
        }
        long count = 0;
        try (ObjectStore store = ObjectStores.resolve(TestStores.url(tmp.resolve("store")))) {
            for (Path database : databases) {
                try (Admin admin = Admin.builder("flink/" + jobId + "/" + database.getParent().getFileName() + "/"
                        + database.getFileName(), store).build()) {
                    count += admin.listCheckpoints().stream().filter(c -> c.name() != null
                            && c.name().startsWith("flink-")).count();
                }
            }
        }
        return count;
    }

    /** Counts records per key in ValueState; counts completed checkpoints down on its job's latch. */
    static final class CheckpointedCounter extends KeyedProcessFunction<Long, Long, Tuple2<Long, Long>>
            implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private static final Map<String, CountDownLatch> COMPLETED = new ConcurrentHashMap<>();
        private final String name;
        private transient ValueState<Long> count;

        CheckpointedCounter(String name) {
            this.name = name;
        }

        /** A latch that the job {@code name}'s counters count down at each completed checkpoint. */
        static CountDownLatch expect(String name, int checkpoints) {
            CountDownLatch latch = new CountDownLatch(checkpoints);
            COMPLETED.put(name, latch);
            return latch;
        }

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

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.get(name).countDown();
        }
    }
}
