package io.slatedb.packaging;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.Collector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The tiny job {@link FlinkLibJarIT} runs in a child JVM whose class path is Flink's runtime jars, the
 * {@code flink-lib} jar and this class: nothing of the backend's module or of the test class path. It names
 * the backend by configuration only (so it compiles against Flink alone) and prints one {@code RESULT} line
 * per finding; any failure exits with status 1.
 * <ul>
 *   <li>{@code job STORE_URL WORK_DIR}: on one MiniCluster, a keyed count job whose state lives in SlateDB
 *       at {@code STORE_URL} runs until two checkpoints completed and is cancelled (its checkpoint retained);
 *       a second job restores from that checkpoint and runs to the end. Every key must end at exactly
 *       {@value #PER_KEY} (lost state ends lower, replayed records higher).</li>
 *   <li>{@code config CONF_DIR}: loads {@code CONF_DIR/config.yaml} as a Flink process does and builds the
 *       state backend and the checkpoint settings it selects.</li>
 * </ul>
 */
public final class FlinkLibJob {
    static final int KEYS = 8;
    static final int PER_KEY = 50;
    /** Records the source lets through per checkpoint: a few checkpoints per job, each with records after it. */
    static final int PER_CHECKPOINT = 100;

    private FlinkLibJob() {
    }

    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "job" -> job(args[1], Path.of(args[2]));
                case "config" -> config(Path.of(args[1]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
            System.out.flush();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    private static void config(Path confDir) throws Exception {
        Configuration config = GlobalConfiguration.loadConfiguration(confDir.toString());
        StateBackend backend = StateBackendLoader.loadStateBackendFromConfig(config,
                FlinkLibJob.class.getClassLoader(), null);
        System.out.println("RESULT backend " + backend.getClass().getName());
        System.out.println("RESULT backend-jar " + Path.of(backend.getClass().getProtectionDomain().getCodeSource()
                .getLocation().toURI()).getFileName());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        System.out.println("RESULT checkpoint-interval-ms " + env.getCheckpointConfig().getCheckpointInterval());
        System.out.println("RESULT checkpoint-retention " + env.getCheckpointConfig().getExternalizedCheckpointRetention());
    }

    private static void job(String store, Path workDir) throws Exception {
        Configuration cluster = new Configuration();
        MiniCluster miniCluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(cluster).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        miniCluster.start();
        try {
            Path checkpoints = workDir.resolve("checkpoints");
            Counter.start("first", 2);
            JobID first = miniCluster.submitJob(graph(store, checkpoints, "first", null)).get().getJobID();
            if (!Counter.checkpoints("first").await(180, TimeUnit.SECONDS)) {
                throw new AssertionError("the first job completed no two checkpoints in 180 s");
            }
            miniCluster.cancelJob(first).get();
            JobResult cancelled = miniCluster.requestJobResult(first).get(60, TimeUnit.SECONDS);
            System.out.println("RESULT first-job " + first + " " + cancelled.getJobStatus().orElse(null));
            Path retained = latestCheckpoint(checkpoints.resolve(first.toString()));
            System.out.println("RESULT retained " + retained.getFileName());

            Counter.start("second", 0);
            JobID second = miniCluster.submitJob(graph(store, checkpoints, "second", retained.toUri().toString()))
                    .get().getJobID();
            JobResult finished = miniCluster.requestJobResult(second).get(240, TimeUnit.SECONDS);
            if (!finished.isSuccess()) {
                throw new AssertionError("the restored job failed", finished.getSerializedThrowable()
                        .map(t -> t.deserializeError(FlinkLibJob.class.getClassLoader())).orElse(null));
            }
            System.out.println("RESULT second-job " + second + " " + miniCluster.getJobStatus(second).get());
            System.out.println("RESULT highest " + new TreeMap<>(Counter.highest("second")));
            System.out.println("RESULT lowest " + new TreeMap<>(Counter.lowest("second")));
            System.out.println("RESULT backend-jar " + Counter.backendJar);
        } finally {
            miniCluster.closeAsync().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code KEYS * PER_KEY} numbers counted per key ({@code n % KEYS}) in ValueState; the source lets
     * {@link #PER_CHECKPOINT} numbers through per checkpoint, so records keep coming after checkpoints completed.
     */
    private static StreamGraph graph(String store, Path checkpoints, String run, String restoreFrom) {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "io.slatedb.flink.SlateDbStateBackendFactory");
        config.setString("state.backend.slatedb.store", store);
        config.setString("state.backend.slatedb.path", "flink");
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, (long) KEYS * PER_KEY,
                RateLimiterStrategy.perCheckpoint(PER_CHECKPOINT), Types.LONG);
        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                .keyBy(n -> n % KEYS)
                .process(new Counter(run)).uid("counter")
                .sinkTo(new DiscardingSink<>()).uid("discard");
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("slatedb-flink-lib-" + run);
        graph.setJobId(new JobID()); // a client would assign it; here the job goes to the MiniCluster directly
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom));
        }
        return graph;
    }

    private static Path latestCheckpoint(Path jobCheckpoints) throws Exception {
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> Files.exists(dir.resolve("_metadata")))
                    .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobCheckpoints));
        }
    }

    /**
     * Counts per key; records each key's lowest and highest count and the completed checkpoints of its run
     * (tasks run in this JVM, so static maps reach the main thread).
     */
    static final class Counter extends KeyedProcessFunction<Long, Long, Long> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private static final Map<String, CountDownLatch> CHECKPOINTS = new ConcurrentHashMap<>();
        private static final Map<String, java.util.Set<Long>> COMPLETED = new ConcurrentHashMap<>();
        private static final Map<String, Map<Long, Long>> HIGHEST = new ConcurrentHashMap<>();
        private static final Map<String, Map<Long, Long>> LOWEST = new ConcurrentHashMap<>();
        static volatile String backendJar;

        private final String run;
        private transient ValueState<Long> count;

        Counter(String run) {
            this.run = run;
        }

        static void start(String run, int checkpoints) {
            CHECKPOINTS.put(run, new CountDownLatch(checkpoints));
            COMPLETED.put(run, ConcurrentHashMap.newKeySet());
            HIGHEST.put(run, new ConcurrentHashMap<>());
            LOWEST.put(run, new ConcurrentHashMap<>());
        }

        static CountDownLatch checkpoints(String run) {
            return CHECKPOINTS.get(run);
        }

        static Map<Long, Long> highest(String run) {
            return HIGHEST.get(run);
        }

        static Map<Long, Long> lowest(String run) {
            return LOWEST.get(run);
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) throws Exception {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            try {
                backendJar = Path.of(Class.forName("io.slatedb.flink.SlateDbStateBackend").getProtectionDomain()
                        .getCodeSource().getLocation().toURI()).getFileName().toString();
            } catch (ClassNotFoundException e) {
                backendJar = "none";
            }
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            Long previous = count.value();
            long next = previous == null ? 1 : previous + 1;
            count.update(next);
            HIGHEST.get(run).merge(ctx.getCurrentKey(), next, Math::max);
            LOWEST.get(run).merge(ctx.getCurrentKey(), next, Math::min);
            out.collect(next);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            // Every subtask hears of each checkpoint: count the checkpoint once.
            if (COMPLETED.get(run).add(checkpointId)) {
                CHECKPOINTS.get(run).countDown();
            }
        }
    }
}
