package io.slatedb.gc;

import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.GarbageCollectorResult;
import io.slatedb.GarbageCollectorTask;
import io.slatedb.GarbageCollectorTaskResult;
import io.slatedb.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Internal: runs a {@link Collector}'s tasks, once or on a schedule, recording each run in the collector's
 * metrics. Serves both the public {@code io.slatedb.GarbageCollector} and a writer's {@link EmbeddedGc}, so
 * this package never depends on the public handle.
 */
public final class GcRunner {
    private static final Logger LOG = LoggerFactory.getLogger(GcRunner.class);

    private final String path;
    private final GarbageCollectorOptions options;
    private final Collector collector;
    private final GcMetrics metrics;

    public GcRunner(String path, GarbageCollectorOptions options, Collector collector, MetricRegistry registry) {
        this.path = Objects.requireNonNull(path, "path");
        this.options = Objects.requireNonNull(options, "options");
        this.collector = Objects.requireNonNull(collector, "collector");
        this.metrics = new GcMetrics(registry);
    }

    /** Whether at least one task is enabled in {@code options} (null: none). */
    public static boolean anyEnabled(GarbageCollectorOptions options) {
        if (options == null) {
            return false;
        }
        for (GarbageCollectorTask task : GarbageCollectorTask.values()) {
            if (Collector.optionsOf(task, options) != null) {
                return true;
            }
        }
        return false;
    }

    /** Runs every enabled task once, now. */
    public GarbageCollectorResult runOnce(boolean dryRun) {
        GarbageCollectorResult result = collector.runAll(dryRun);
        metrics.record(result);
        return result;
    }

    /** Runs one task once, now. */
    public GarbageCollectorTaskResult runTask(GarbageCollectorTask task, boolean dryRun) {
        GarbageCollectorTaskResult result = collector.run(task, dryRun).result();
        metrics.record(result);
        return result;
    }

    /** Schedules each enabled task on {@code executor} every interval of its options, the first one interval from now. */
    public void schedule(ScheduledExecutorService executor) {
        for (GarbageCollectorTask task : GarbageCollectorTask.values()) {
            GarbageCollectorDirectoryOptions taskOptions = Collector.optionsOf(task, options);
            if (taskOptions == null) {
                continue;
            }
            long nanos = taskOptions.interval().toNanos();
            executor.scheduleWithFixedDelay(() -> runScheduled(task), nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void runScheduled(GarbageCollectorTask task) {
        try {
            GarbageCollectorTaskResult result = runTask(task, false);
            if (result.count() > 0) {
                LOG.info("garbage collection of {}: {} {} {}", path, result.dryRun() ? "would delete" : "deleted",
                        result.count(), task);
            }
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("garbage collection of {} ({}) failed; retried at the next interval: {}", path, task,
                        String.valueOf(e));
            }
        }
    }

    /**
     * Stops {@code executor} (null: nothing to stop): a run in progress is given a few seconds to finish,
     * then interrupted.
     */
    public static void stop(ScheduledExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
