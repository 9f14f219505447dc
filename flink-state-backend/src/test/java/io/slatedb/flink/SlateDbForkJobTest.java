package io.slatedb.flink;

import io.slatedb.Admin;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.minicluster.MiniCluster;
import io.slatedb.flink.fork.Forks;
import io.slatedb.flink.snapshot.CheckpointReference;
import java.time.Duration;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forks of a job's state on a MiniCluster: NATIVE savepoints are pinned clones, two jobs started from
 * one savepoint run side by side without seeing each other's writes and cost metadata only, a disposed
 * savepoint releases its databases, a CLAIMed one is released once the new job's checkpoints subsume it,
 * and savepoints and retained checkpoints restore rescaled with exact counts.
 */
@Timeout(300)
class SlateDbForkJobTest {

    /** The delta the second fork adds per record: its sums never look like the first fork's. */
    private static final long FORK_DELTA = 1_000_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestStores.miniCluster();

    /** Deleted after the cluster shut down (the job manager discards checkpoints in the background). */
    @TempDir
    static Path tmpRoot;

    private Path tmp;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        tmp = TestStores.methodDirectory(tmpRoot, test);
    }

    /** A failed test leaves no job running to hold the next test's slots. */
    @AfterEach
    void cancelRunningJobs() throws Exception {
        for (Job job : Job.BY_NAME.values()) {
            if (job.client != null && !job.client.getJobExecutionResult().isDone()) {
                job.cancel();
            }
        }
        Job.BY_NAME.clear();
    }

    private Configuration config() {
        Configuration config = TestStores.jobConfig(tmp);
        config.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, tmp.resolve("savepoints").toUri().toString());
        config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return config;
    }

    private Configuration restoring(String path, RecoveryClaimMode mode) {
        Configuration config = config();
        config.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
        config.set(StateRecoveryOptions.RESTORE_MODE, mode);
        return config;
    }

    @Test
    void twoForksOfANativeSavepointContinueItSideBySideAndCostMetadataOnly() throws Exception {
        int keys = 500;
        Job original = Job.start("original", config(), 2, keys, 1, 2048, Long.MAX_VALUE);
        original.await(original.allKeysSeen);
        String savepoint = original.client.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.NATIVE).get();
        original.client.getJobExecutionResult().get();
        Path savepointDatabases = tmp.resolve("store/flink/savepoints").resolve(original.client.getJobID().toString());
        assertThat(objects(savepointDatabases)).as("the savepoint is pinned clones of the job's databases").isNotEmpty();
        assertThat(sstBytes(savepointDatabases)).as("no SST copied").isZero();
        long state = bytes(tmp.resolve("store/flink").resolve(original.client.getJobID().toString()));
        long before = bytes(tmp.resolve("store"));

        Job plusOne = Job.start("plus-one", restoring(savepoint, RecoveryClaimMode.NO_CLAIM), 2, keys, 1, 2048,
                Long.MAX_VALUE);
        Job plusMillion = Job.start("plus-million", restoring(savepoint, RecoveryClaimMode.NO_CLAIM), 2, keys,
                FORK_DELTA, 2048, Long.MAX_VALUE);
        for (Job fork : List.of(plusOne, plusMillion)) {
            fork.await(fork.allKeysSeen);
            fork.await(fork.checkpointed);
        }
        long grown = bytes(tmp.resolve("store")) - before;
        plusOne.cancel();
        plusMillion.cancel();

        assertThat(grown).as("bytes written by two forks that restored and checkpointed, of %d bytes of state", state)
                .isLessThan(state / 10);
        for (Job fork : List.of(plusOne, plusMillion)) {
            long delta = fork == plusOne ? 1 : FORK_DELTA;
            Map<Long, Long> continued = new HashMap<>();
            original.highest.forEach((key, sum) -> continued.put(key, sum + delta));
            assertThat(fork.lowest).as(fork.name + " continues every sum of the savepoint").isEqualTo(continued);
            // Every sum the fork emitted is the savepoint's plus its own deltas only.
            assertThat(fork.emitted).allSatisfy(sum -> assertThat((sum.f1 - original.highest.get(sum.f0)) % delta)
                    .isZero());
            if (fork == plusOne) {
                assertThat(fork.emitted).allSatisfy(sum -> assertThat(sum.f1).isLessThan(FORK_DELTA));
            }
        }

        // Disposing the savepoint deletes its databases and releases their pins in the job's databases; the
        // forks' own pins stay (each fork's database reads the job's SSTs directly).
        Path jobDatabases = tmp.resolve("store/flink").resolve(original.client.getJobID().toString());
        long pinsBefore = pins(jobDatabases);
        Checkpoints.disposeSavepoint(savepoint, config(), getClass().getClassLoader(), null);
        assertThat(objects(savepointDatabases)).isEmpty();
        assertThat(pins(jobDatabases)).isEqualTo(pinsBefore - 2);
    }

    @Test
    void aClaimedSavepointIsReleasedOnceTheNewJobsCheckpointsSubsumeIt() throws Exception {
        Job original = Job.start("claimed-original", config(), 2, 10, 1, 0, Long.MAX_VALUE);
        original.await(original.allKeysSeen);
        String savepoint = original.client.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.NATIVE).get();
        original.client.getJobExecutionResult().get();
        Path savepointDatabases = tmp.resolve("store/flink/savepoints").resolve(original.client.getJobID().toString());
        assertThat(objects(savepointDatabases)).isNotEmpty();

        Job claiming = Job.start("claiming", restoring(savepoint, RecoveryClaimMode.CLAIM), 2, 10, 1, 0,
                Long.MAX_VALUE);
        claiming.await(claiming.allKeysSeen);
        claiming.await(claiming.checkpointed);
        // The job owns the savepoint now: Flink discards it (in the background) once a checkpoint subsumed it.
        CommonTestUtils.waitUntilCondition(() -> objects(savepointDatabases).isEmpty());
        assertThat(Files.exists(Path.of(java.net.URI.create(savepoint)).resolve("_metadata"))).isFalse();
        Map<Long, Long> continued = new HashMap<>();
        original.highest.forEach((key, sum) -> continued.put(key, sum + 1));
        assertThat(claiming.lowest).isEqualTo(continued);

        // Its own databases never read the released ones: its retained checkpoint restores.
        claiming.cancel();
        Path retained = latestRetainedCheckpoint(claiming.client);
        Job next = Job.start("after-claim", restoring(retained.toUri().toString(), RecoveryClaimMode.NO_CLAIM), 1, 10,
                1, 0, Long.MAX_VALUE);
        next.await(next.allKeysSeen);
        next.cancel();
        assertThat(next.lowest).allSatisfy((key, sum) -> assertThat(sum).isGreaterThan(continued.get(key)));
    }

    @Test
    void aForkOfARunningJobsRetainedCheckpointStartsWithItsStateAndOutlivesIt(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Configuration config = config();
        // Checkpoints are taken when the test triggers them.
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofHours(1));
        Job original = Job.start("running", config, 1, 10, 1, 0, Long.MAX_VALUE);
        original.await(original.firstBatch);
        // The source waits for a checkpoint before its next batch: the checkpoint holds at least the first.
        String retained = cluster.triggerCheckpoint(original.client.getJobID()).get();
        Path fork = tmp.resolve("savepoints/fork");
        Forks.Fork made = Forks.fork(retained, fork.toUri().toString(), "flink", getClass().getClassLoader());
        assertThat(made.databases()).hasSize(1).allSatisfy(database ->
                assertThat(database.kind()).isEqualTo(CheckpointReference.Kind.PINNED_CLONE));

        // A later checkpoint subsumes the forked one: Flink discards it and its SlateDB checkpoints.
        cluster.triggerCheckpoint(original.client.getJobID()).get();
        CommonTestUtils.waitUntilCondition(() -> !Files.exists(Path.of(java.net.URI.create(retained))
                .resolve("_metadata")));

        Job forked = Job.start("forked", restoring(fork.toUri().toString(), RecoveryClaimMode.NO_CLAIM), 2, 10, 1, 0,
                Long.MAX_VALUE);
        forked.await(forked.allKeysSeen);
        // Each key continues from a sum the original had (at least the first batch's two records per key).
        assertThat(forked.lowest).hasSize(10).allSatisfy((key, sum) -> {
            assertThat(sum - 1).isGreaterThanOrEqualTo(2L);
            assertThat(original.emitted).contains(Tuple2.of(key, sum - 1));
        });
        assertThat(original.client.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        forked.cancel();
        original.cancel();
    }

    @Test
    void aCopiedSavepointSurvivesTheDeletionOfTheJobsDatabases() throws Exception {
        Configuration config = config();
        config.set(SlateDbOptions.SAVEPOINT_MODE, SlateDbOptions.SavepointMode.COPY);
        Job original = Job.start("copied", config, 2, 10, 1, 256, Long.MAX_VALUE);
        original.await(original.allKeysSeen);
        String savepoint = original.client.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.NATIVE).get();
        original.client.getJobExecutionResult().get();
        Path savepointDatabases = tmp.resolve("store/flink/savepoints").resolve(original.client.getJobID().toString());
        assertThat(sstBytes(savepointDatabases)).as("the copy has SSTs of its own").isPositive();
        assertThat(pins(tmp.resolve("store/flink").resolve(original.client.getJobID().toString())))
                .as("and pins nothing in the job's databases").isZero();
        try (Stream<Path> paths = Files.walk(tmp.resolve("store/flink").resolve(original.client.getJobID().toString()))) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }

        Job restored = Job.start("copied-restored", restoring(savepoint, RecoveryClaimMode.NO_CLAIM), 3, 10, 1, 256,
                Long.MAX_VALUE);
        restored.await(restored.allKeysSeen);
        restored.cancel();
        Map<Long, Long> continued = new HashMap<>();
        original.highest.forEach((key, sum) -> continued.put(key, sum + 1));
        assertThat(restored.lowest).isEqualTo(continued);
    }

    @Test
    void aNativeSavepointRestoresRescaledFromTwoToThree() throws Exception {
        restoresRescaled(2, 3, true);
    }

    @Test
    void aNativeSavepointRestoresRescaledFromThreeToOne() throws Exception {
        restoresRescaled(3, 1, true);
    }

    @Test
    void aRetainedCheckpointRestoresRescaledFromTwoToThree() throws Exception {
        restoresRescaled(2, 3, false);
    }

    /**
     * A bounded job of {@code 10 * 60} records at parallelism {@code before} is stopped (with a NATIVE
     * savepoint, or cancelled after checkpoints to restore its retained checkpoint) part way, and a job at
     * {@code after} finishes it from there: every key's count ends exactly at 60.
     */
    private void restoresRescaled(int before, int after, boolean savepoint) throws Exception {
        int keys = 10;
        int perKey = 60;
        String name = (savepoint ? "savepoint-" : "retained-") + before + "-" + after;
        Job first = Job.start(name + "-first", config(), before, keys, 1, 0, (long) keys * perKey);
        first.await(first.checkpointed);
        String from;
        if (savepoint) {
            from = first.client.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.NATIVE).get();
            first.client.getJobExecutionResult().get();
        } else {
            first.cancel();
            from = latestRetainedCheckpoint(first.client).toUri().toString();
        }
        Job second = Job.start(name + "-second", restoring(from, RecoveryClaimMode.NO_CLAIM), after, keys, 1, 0,
                (long) keys * perKey);
        second.client.getJobExecutionResult().get();

        Map<Long, Long> expected = new HashMap<>();
        for (long key = 0; key < keys; key++) {
            expected.put(key, (long) perKey);
        }
        // Lost state would end below perKey, records counted twice above it.
        assertThat(second.highest).isEqualTo(expected);
        assertThat(second.lowest.values()).as("started from the stopped job's state").anyMatch(count -> count > 1);
    }

    private Path latestRetainedCheckpoint(JobClient job) throws Exception {
        try (Stream<Path> dirs = Files.list(tmp.resolve("checkpoints").resolve(job.getJobID().toString()))) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> Files.exists(dir.resolve("_metadata")))
                    .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint of " + job.getJobID()));
        }
    }

    /** The pins clones hold (never expiring, unnamed) in the databases under {@code jobDatabases}. */
    private long pins(Path jobDatabases) throws Exception {
        long pins = 0;
        try (ObjectStore store = ObjectStores.resolve(TestStores.url(tmp.resolve("store")));
             Stream<Path> paths = Files.walk(jobDatabases, 2)) {
            for (Path database : paths.filter(p -> p.getFileName().toString().startsWith("kg-")).toList()) {
                String path = tmp.resolve("store").relativize(database).toString();
                try (Admin admin = Admin.builder(path, store).build()) {
                    pins += admin.listCheckpoints().stream()
                            .filter(c -> c.expireTime() == null && c.name() == null).count();
                }
            }
        }
        return pins;
    }

    /**
     * The files under {@code root}, skipping the store's staging area and files the running jobs delete
     * while they are listed.
     */
    private static List<Path> objects(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.exists(root)) {
            return files;
        }
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                                                                   java.nio.file.attribute.BasicFileAttributes attrs) {
                return dir.getFileName().toString().equals(".slatedb-tmp") ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                        : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static long bytes(Path root) throws IOException {
        long total = 0;
        for (Path file : objects(root)) {
            total += sizeOrZero(file);
        }
        return total;
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // deleted since it was listed
        }
    }

    private static long sstBytes(Path root) throws IOException {
        long total = 0;
        for (Path file : objects(root)) {
            if (file.toString().contains("/compacted/")) {
                total += sizeOrZero(file);
            }
        }
        return total;
    }

    /**
     * A running job: numbers keyed by {@code number % keys}, a sum per key that adds {@code delta} per
     * record (plus, per key, {@code ballast} random bytes written at its first record), and what its sink saw.
     */
    static final class Job {
        static final Map<String, Job> BY_NAME = new ConcurrentHashMap<>();
        final String name;
        final Map<Long, Long> lowest = new ConcurrentHashMap<>();
        final Map<Long, Long> highest = new ConcurrentHashMap<>();
        final Queue<Tuple2<Long, Long>> emitted = new ConcurrentLinkedQueue<>();
        final CountDownLatch allKeysSeen;
        /** Counted down by every record of the first batch the source emits (before any checkpoint). */
        final CountDownLatch firstBatch;
        /** Counted down by each subtask at its first completed checkpoint. */
        final CountDownLatch checkpointed;
        JobClient client;

        private Job(String name, int keys, int parallelism) {
            this.name = name;
            this.allKeysSeen = new CountDownLatch(keys);
            this.firstBatch = new CountDownLatch(batch(keys));
            this.checkpointed = new CountDownLatch(parallelism);
        }

        static Job start(String name, Configuration config, int parallelism, int keys, long delta, int ballast,
                         long records) throws Exception {
            Job job = new Job(name, keys, parallelism);
            BY_NAME.put(name, job);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(parallelism);
            DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, records,
                    RateLimiterStrategy.perCheckpoint(batch(keys)), Types.LONG);
            env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                    .keyBy(n -> n % keys)
                    .process(new Summer(name, delta, ballast)).uid("summer")
                    .sinkTo(new JobSink(name)).uid("sink");
            job.client = env.executeAsync("slatedb-" + name);
            return job;
        }

        /** The records the source emits per completed checkpoint. */
        static int batch(int keys) {
            return Math.max(keys, 20);
        }

        void record(Tuple2<Long, Long> sum) {
            emitted.add(sum);
            firstBatch.countDown();
            if (lowest.putIfAbsent(sum.f0, sum.f1) == null) {
                allKeysSeen.countDown();
            }
            lowest.merge(sum.f0, sum.f1, Math::min);
            highest.merge(sum.f0, sum.f1, Math::max);
        }

        /** Waits for {@code latch}, failing at once when the job ends first. */
        void await(CountDownLatch latch) throws Exception {
            CompletableFuture<Void> reached = CompletableFuture.runAsync(() -> {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture.anyOf(reached, client.getJobExecutionResult()).get();
            assertThat(latch.getCount()).as("%s ended before the awaited event", name).isZero();
        }

        /** Cancels the job and waits until it ended. */
        void cancel() throws Exception {
            client.cancel().get();
            try {
                client.getJobExecutionResult().get();
            } catch (Exception e) {
                // A cancelled job's result is a failure.
            }
        }
    }

    /** Sums deltas per key in ValueState; each subtask counts its job's first completed checkpoint down. */
    static final class Summer extends KeyedProcessFunction<Long, Long, Tuple2<Long, Long>> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final String job;
        private final long delta;
        private final int ballastBytes;
        private transient ValueState<Long> sum;
        private transient ValueState<byte[]> ballast;
        private transient boolean checkpointed;

        Summer(String job, long delta, int ballastBytes) {
            this.job = job;
            this.delta = delta;
            this.ballastBytes = ballastBytes;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Types.LONG));
            ballast = getRuntimeContext().getState(new ValueStateDescriptor<>("ballast",
                    org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Tuple2<Long, Long>> out) throws Exception {
            Long current = sum.value();
            if (current == null && ballastBytes > 0) {
                byte[] bytes = new byte[ballastBytes];
                new Random(context.getCurrentKey()).nextBytes(bytes);
                ballast.update(bytes);
            }
            long next = (current == null ? 0 : current) + delta;
            sum.update(next);
            out.collect(Tuple2.of(context.getCurrentKey(), next));
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (!checkpointed) {
                checkpointed = true;
                Job.BY_NAME.get(job).checkpointed.countDown();
            }
        }
    }

    static final class JobSink implements Sink<Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private final String job;

        JobSink(String job) {
            this.job = job;
        }

        @Override
        public SinkWriter<Tuple2<Long, Long>> createWriter(WriterInitContext context) {
            Job target = Job.BY_NAME.get(job);
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
}
