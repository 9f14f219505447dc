package io.slatedb.pipeline;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.util.stats.StatsSummarySnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The main job ({@code ./pipeline}): the whole pipeline on the embedded default (the directory
 * {@code ./data} as the object store, Kafka and Connect in a child JVM, a Flink MiniCluster), run for a
 * bounded time with a progress display, then stopped with a NATIVE savepoint and forked twice; prints
 * a summary and leaves the databases in {@code ./data} for the {@code slatedb} command line.
 *
 * <p>Arguments: {@code --seconds N} (how long orders flow, default 30), {@code --rate N} (orders per
 * second, default 1000), {@code --customers N} (default 1000), {@code --data DIR} (default {@code ./data}).
 */
public final class PipelineMain {

    private static final Duration CONVERGE = Duration.ofMinutes(2);
    private static final Duration PROGRESS = Duration.ofSeconds(3);
    private static final int FORK_ORDERS = 2_000;

    private PipelineMain() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 30;
        int rate = 1_000;
        int customers = 1_000;
        Path data = Paths.get("data");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--customers" -> customers = Integer.parseInt(args[++i]);
                case "--data" -> data = Paths.get(args[++i]);
                default -> {
                    System.err.println("usage: pipeline [--seconds N] [--rate ORDERS_PER_S] [--customers N] [--data DIR]");
                    System.exit(2);
                }
            }
        }
        data = data.toAbsolutePath().normalize();
        try {
            run(data, seconds, rate, customers);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(Path data, int seconds, int rate, int customers) throws Exception {
        long started = System.nanoTime();
        // A fresh pipeline on every run; other databases in the directory (./slatedb's) stay.
        for (String dir : List.of(Pipeline.FLINK_PATH, Pipeline.SINK_PATH, ".pipeline")) {
            deleteTree(data.resolve(dir));
        }
        Files.createDirectories(data);
        String store = "file://" + data;
        System.out.printf("Pipeline on %s: orders -> Flink (SlateDB state) -> totals -> sink -> SlateDB -> source -> changes%n",
                store);
        Pipeline.Options options = new Pipeline.Options(store, data.resolve(".pipeline"), 1, 2, Duration.ofSeconds(1));
        try (Pipeline pipeline = Pipeline.start(options);
             OrderGenerator orders = new OrderGenerator(pipeline.bootstrapServers(), Pipeline.ORDERS, customers, 7);
             TopicView totals = new TopicView(pipeline.bootstrapServers(), Pipeline.TOTALS);
             TopicView changes = new TopicView(pipeline.bootstrapServers(), Pipeline.CHANGES)) {
            System.out.printf("started in %.1f s: Kafka broker and Connect worker (child JVM, log %s), Flink MiniCluster, "
                    + "sink %s and source %s%n", secondsSince(started), data.relativize(pipeline.kafka().log()),
                    Pipeline.SINK, Pipeline.SOURCE);
            JobID main = pipeline.submit(Order.ALL, null);
            System.out.printf("job %s running; %d orders/s for %d s%n", main, rate, seconds);

            long flowStart = System.nanoTime();
            long nextProgress = flowStart + PROGRESS.toNanos();
            long end = flowStart + TimeUnit.SECONDS.toNanos(seconds);
            long tick = TimeUnit.MILLISECONDS.toNanos(100);
            // Paced by the clock: a slow machine sends fewer orders, never more time.
            for (long next = flowStart; System.nanoTime() < end; next += tick) {
                orders.send(Math.max(1, rate / 10), Order.ALL);
                if (System.nanoTime() >= nextProgress) {
                    progress(pipeline, main, orders, totals, changes, flowStart);
                    nextProgress += PROGRESS.toNanos();
                }
                long wait = next + tick - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // paces the generator
                }
            }
            Map<String, String> expected = orders.expectedTotals(Order.ALL);
            Await.until("the changes topic to hold every total", CONVERGE,
                    () -> changes.catchUp().state().equals(expected));
            double flowSeconds = secondsSince(flowStart);
            progress(pipeline, main, orders, totals.catchUp(), changes, flowStart);
            System.out.printf("the changes topic equals the totals of all %d orders, exactly (%d customers, read_committed)%n",
                    orders.sent(), expected.size());

            CheckpointStatsSnapshot stats = pipeline.checkpoints(main);
            long savepointStart = System.nanoTime();
            String savepoint = pipeline.stopWithSavepoint(main);
            double savepointSeconds = secondsSince(savepointStart);
            long state = pipeline.bytesUnder(Pipeline.jobPrefix(main));
            long flinkBefore = pipeline.bytesUnder(Pipeline.FLINK_PATH + "/");
            System.out.printf("stopped with a NATIVE savepoint in %.1f s: %s (state: %s in SlateDB)%n", savepointSeconds,
                    data.relativize(Paths.get(java.net.URI.create(savepoint))), bytes(state));

            long forkStart = System.nanoTime();
            JobID forkA = pipeline.submit("a", savepoint);
            JobID forkB = pipeline.submit("b", savepoint);
            pipeline.awaitMoreCheckpoints(forkA, 1, CONVERGE);
            pipeline.awaitMoreCheckpoints(forkB, 1, CONVERGE);
            double forkSeconds = secondsSince(forkStart);
            long forkBytes = pipeline.bytesUnder(Pipeline.FLINK_PATH + "/") - flinkBefore;
            System.out.printf("forked twice (NO_CLAIM, the state cloned, not copied): forks a and b restored and "
                    + "checkpointed in %.1f s, adding %s to the store%n", forkSeconds, bytes(forkBytes));

            orders.mark();
            orders.send(FORK_ORDERS / 2, Order.ALL);
            orders.send(FORK_ORDERS, "a");
            orders.send(FORK_ORDERS, "b");
            Map<String, String> expectedA = orders.expectedTotalsSinceMark("a");
            Map<String, String> expectedB = orders.expectedTotalsSinceMark("b");
            try (TopicView totalsA = new TopicView(pipeline.bootstrapServers(), Pipeline.totalsTopic("a"));
                 TopicView totalsB = new TopicView(pipeline.bootstrapServers(), Pipeline.totalsTopic("b"))) {
                Await.until("fork a's totals", CONVERGE, () -> totalsA.catchUp().state().equals(expectedA));
                Await.until("fork b's totals", CONVERGE, () -> totalsB.catchUp().state().equals(expectedB));
                System.out.printf("fed %d orders to both forks, %d to a only, %d to b only; they diverge:%n",
                        FORK_ORDERS / 2, FORK_ORDERS, FORK_ORDERS);
                for (int i = 0; i < 3; i++) {
                    String customer = OrderGenerator.customer(i);
                    System.out.printf("  %s: at the savepoint %s, fork a %s, fork b %s%n", customer,
                            expected.getOrDefault(customer, "0"), totalsA.state().getOrDefault(customer, "(unchanged)"),
                            totalsB.state().getOrDefault(customer, "(unchanged)"));
                }
            }
            pipeline.flink().cancelJob(forkA).get(1, TimeUnit.MINUTES);
            pipeline.flink().cancelJob(forkB).get(1, TimeUnit.MINUTES);

            StatsSummarySnapshot durations = stats.getSummaryStats().getEndToEndDurationStats();
            System.out.println("Summary");
            System.out.printf("  throughput: %d orders in %.1f s, %.0f orders/s end to end (until the changes topic held every total)%n",
                    orders.sent() - 2L * FORK_ORDERS - FORK_ORDERS / 2, flowSeconds,
                    (orders.sent() - 2.0 * FORK_ORDERS - FORK_ORDERS / 2.0) / flowSeconds);
            System.out.printf("  checkpoints: %d completed, end to end %d ms average, %d ms max%n",
                    stats.getCounts().getNumberOfCompletedCheckpoints(), durations.getAverage(), durations.getMaximum());
            System.out.printf("  store: %s in %s (Flink state %s, sink databases %s)%n", bytes(pipeline.bytesUnder("")),
                    data, bytes(pipeline.bytesUnder(Pipeline.FLINK_PATH + "/")),
                    bytes(pipeline.bytesUnder(Pipeline.SINK_PATH + "/")));
            System.out.printf("  fork: %s and %.1f s for two forks of %s of state%n", bytes(forkBytes), forkSeconds,
                    bytes(state));
            System.out.printf("  wall time: %.1f s%n", secondsSince(started));
            System.out.println("Next, with the databases left in " + data + ":");
            System.out.println("  ./slatedb --path pipeline/totals scan --prefix customer- --limit 5");
            System.out.println("  ./slatedb --path pipeline/totals-a get " + OrderGenerator.customer(0));
            System.out.println("  ./slatedb --path pipeline/totals checkpoint list");
            System.out.println("  ls data/flink/" + main + "   # the job's databases, one per operator subtask");
        }
    }

    private static void progress(Pipeline pipeline, JobID job, OrderGenerator orders, TopicView totals,
                                 TopicView changes, long flowStart) {
        CheckpointStatsSnapshot stats = pipeline.checkpoints(job);
        long completed = stats.getCounts().getNumberOfCompletedCheckpoints();
        var latest = stats.getHistory().getLatestCompletedCheckpoint();
        System.out.printf("  %5.1f s  orders in %7d | checkpoints %3d (last %s) | totals out %7d | changes %7d%n",
                secondsSince(flowStart), orders.sent(), completed,
                latest == null ? "-" : latest.getEndToEndDuration() + " ms", totals.catchUp().records(),
                changes.catchUp().records());
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String bytes(long bytes) {
        if (bytes < 10 * 1024) {
            return bytes + " B";
        }
        if (bytes < 10L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
