package io.slatedb.pipeline;

import io.slatedb.Db;
import io.slatedb.flink.SlateDbOptions;
import io.slatedb.flink.SlateDbStateBackendFactory;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole pipeline, started on the object store its options name: a Kafka broker and Connect worker in
 * a child JVM ({@link KafkaConnectProcess}), a Flink {@link MiniCluster} with the SlateDB state backend, the
 * SlateDB sink connector writing the totals topics into databases ({@code pipeline/<topic>}) and the source
 * connector tailing {@code pipeline/totals} into the changes topic. {@link #submit} runs {@link TotalsJob}s
 * on it; an {@link OrderGenerator} feeds them. {@link #close()} stops everything it started.
 */
public final class Pipeline implements AutoCloseable {

    /** The topic orders are written to. */
    public static final String ORDERS = "orders";
    /** The topic the original job writes totals to. */
    public static final String TOTALS = "totals";
    /** The topic the source connector writes the totals database's changes to. */
    public static final String CHANGES = "changes";
    /** The forks the pipeline has topics and databases for. */
    public static final List<String> FORKS = List.of("a", "b");
    /** The sink connector's name. */
    public static final String SINK = "totals-sink";
    /** The source connector's name. */
    public static final String SOURCE = "totals-changes";
    /** Where the Flink state backend keeps its databases in the store. */
    public static final String FLINK_PATH = "flink";
    /** Where the sink connector keeps its databases in the store. */
    public static final String SINK_PATH = "pipeline";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final int PARTITIONS = 2;

    /**
     * How to start the pipeline.
     *
     * @param storeUrl the object store of every database (state backend and connectors), as a URL
     * @param workDir where Flink's checkpoint and savepoint metadata and the Kafka child's log go
     * @param taskManagers the MiniCluster's task managers (each with {@code 2 * parallelism} slots: room
     *     for two forks)
     * @param parallelism the jobs' parallelism
     * @param checkpointInterval the jobs' checkpoint interval
     */
    public record Options(String storeUrl, Path workDir, int taskManagers, int parallelism,
                          Duration checkpointInterval) {
    }

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private KafkaConnectProcess kafka;
    private ConnectRest connect;
    private MiniCluster flink;

    private Pipeline(Options options) {
        this.options = options;
    }

    /** Starts every part and the two connectors. */
    public static Pipeline start(Options options) throws Exception {
        Pipeline pipeline = new Pipeline(options);
        try {
            pipeline.startParts();
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        Files.createDirectories(options.workDir());
        kafka = KafkaConnectProcess.start(options.workDir().resolve("kafka-connect.log"), START_TIMEOUT);
        started.add(kafka);
        connect = new ConnectRest(kafka.connectUrl());
        createTopics();
        flink = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfig())
                .setNumTaskManagers(options.taskManagers())
                // room for the job, or for its two forks at once, on any one task manager
                .setNumSlotsPerTaskManager(2 * options.parallelism())
                .build());
        flink.start();
        started.add(flink);
        // The source tails a database that must exist when it starts; the sink then writes it.
        try (ObjectStore store = ObjectStores.resolve(options.storeUrl())) {
            Db.builder(databaseOf(TOTALS), store).build().close();
        }
        connect.putConnector(SINK, sinkConfig());
        connect.putConnector(SOURCE, sourceConfig());
        connect.awaitRunning(SINK, 1, START_TIMEOUT);
        connect.awaitRunning(SOURCE, 1, START_TIMEOUT);
    }

    /** The topic job {@code fork} ({@link Order#ALL}: the original job) writes its totals to. */
    public static String totalsTopic(String fork) {
        return fork.isEmpty() ? TOTALS : TOTALS + "-" + fork;
    }

    /** The database the sink connector writes {@code topic} into. */
    public static String databaseOf(String topic) {
        return SINK_PATH + "/" + topic;
    }

    /** The Kafka broker's bootstrap servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The Kafka child JVM. */
    public KafkaConnectProcess kafka() {
        return kafka;
    }

    /** The Connect worker's REST API. */
    public ConnectRest connect() {
        return connect;
    }

    /** The Flink cluster. */
    public MiniCluster flink() {
        return flink;
    }

    /** The options the pipeline was started with. */
    public Options options() {
        return options;
    }

    /**
     * Submits a {@link TotalsJob} running as {@code fork} ({@link Order#ALL}: the original job), restored
     * from {@code savepoint} in NO_CLAIM mode when it is not null, and waits until it runs.
     */
    public JobID submit(String fork, String savepoint) throws Exception {
        TotalsJob.Spec spec = new TotalsJob.Spec(bootstrapServers(), ORDERS, totalsTopic(fork), fork,
                options.parallelism(), savepoint);
        JobID id = flink.submitJob(TotalsJob.jobGraph(jobConfig(), spec)).get(1, TimeUnit.MINUTES).getJobID();
        AtomicReference<JobStatus> last = new AtomicReference<>();
        try {
            Await.until("job " + id + " RUNNING", START_TIMEOUT, () -> {
                JobStatus status = status(id);
                last.set(status);
                if (status.isGloballyTerminalState()) {
                    throw new IllegalStateException("job " + id + " is " + status + " instead of running: "
                            + failureOf(id));
                }
                return status == JobStatus.RUNNING;
            });
        } catch (TimeoutException e) {
            throw new TimeoutException(e.getMessage() + " (it is " + last.get() + ")");
        }
        return id;
    }

    private String failureOf(JobID job) {
        try {
            return flink.requestJobResult(job).get(30, TimeUnit.SECONDS).getSerializedThrowable()
                    .map(t -> t.getFullStringifiedStackTrace()).orElse("no failure recorded");
        } catch (Exception e) {
            return "its result cannot be read: " + e;
        }
    }

    /** The job's status. */
    public JobStatus status(JobID job) {
        try {
            return flink.getJobStatus(job).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the status of job " + job, e);
        }
    }

    /** The job's checkpoint statistics. */
    public CheckpointStatsSnapshot checkpoints(JobID job) {
        try {
            return flink.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the checkpoints of job " + job, e);
        }
    }

    /** How many checkpoints of the job completed. */
    public long completedCheckpoints(JobID job) {
        CheckpointStatsSnapshot stats = checkpoints(job);
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Waits until {@code count} more checkpoints of the job than now have completed. */
    public void awaitMoreCheckpoints(JobID job, int count, Duration timeout) throws TimeoutException {
        long target = completedCheckpoints(job) + count;
        Await.until(count + " more checkpoint(s) of job " + job, timeout, () -> completedCheckpoints(job) >= target);
    }

    /** Stops the job with a NATIVE savepoint (its state as SlateDB checkpoints) and returns its path. */
    public String stopWithSavepoint(JobID job) throws Exception {
        String directory = options.workDir().resolve("savepoints").toUri().toString();
        return flink.stopWithSavepoint(job, directory, false, SavepointFormatType.NATIVE).get(2, TimeUnit.MINUTES);
    }

    /** The total size of the objects under {@code prefix} of the store (everything with an empty prefix). */
    public long bytesUnder(String prefix) {
        try (ObjectStore store = ObjectStores.resolve(options.storeUrl())) {
            long bytes = 0;
            for (ObjectMetadata object : store.listAll(prefix).get(1, TimeUnit.MINUTES)) {
                bytes += object.size();
            }
            return bytes;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + prefix + " in " + options.storeUrl(), e);
        }
    }

    /** The prefix of a Flink job's databases in the store. */
    public static String jobPrefix(JobID job) {
        return FLINK_PATH + "/" + job + "/";
    }

    private void createTopics() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(ORDERS, PARTITIONS, (short) 1));
            topics.add(new NewTopic(TOTALS, PARTITIONS, (short) 1));
            for (String fork : FORKS) {
                topics.add(new NewTopic(totalsTopic(fork), PARTITIONS, (short) 1));
            }
            topics.add(new NewTopic(CHANGES, 1, (short) 1));
            admin.createTopics(topics).all().get(1, TimeUnit.MINUTES);
        }
    }

    private Map<String, String> sinkConfig() {
        List<String> topics = new ArrayList<>();
        topics.add(TOTALS);
        FORKS.forEach(fork -> topics.add(totalsTopic(fork)));
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.slatedb.connect.sink.SlateDbSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", String.join(",", topics));
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("slatedb.store", options.storeUrl());
        config.put("slatedb.path", SINK_PATH + "/${topic}");
        // Only committed totals: Flink writes them in transactions.
        config.put("consumer.override.isolation.level", "read_committed");
        return config;
    }

    private Map<String, String> sourceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.slatedb.connect.source.SlateDbSourceConnector");
        config.put("tasks.max", "1");
        config.put("slatedb.store", options.storeUrl());
        config.put("slatedb.path", databaseOf(TOTALS));
        config.put("topic", CHANGES);
        config.put("slatedb.poll.interval.ms", "100");
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("exactly.once.support", "required");
        config.put("transaction.boundary", "poll");
        return config;
    }

    private Configuration clusterConfig() {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        config.set(RestOptions.BIND_PORT, "0");
        return config;
    }

    private Configuration jobConfig() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, SlateDbStateBackendFactory.class.getName());
        config.set(SlateDbOptions.STORE, options.storeUrl());
        config.set(SlateDbOptions.PATH, FLINK_PATH);
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                options.workDir().resolve("checkpoints").toUri().toString());
        config.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, options.workDir().resolve("savepoints").toUri().toString());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval());
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1000);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return config;
    }

    /** Stops the jobs, the MiniCluster and the Kafka child. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
