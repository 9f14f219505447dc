package io.slatedb.gc;

import io.slatedb.GarbageCollectorTaskResult;
import io.slatedb.GarbageCollectorTask;
import io.slatedb.GarbageCollectorResult;
import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A garbage collector's instruments: objects deleted per task (never those a dry run only lists) and
 * task runs; names in {@link SlateDbMetricNames.GarbageCollector}.
 */
public final class GcMetrics {
    private final Map<GarbageCollectorTask, Counter> deleted = new EnumMap<>(GarbageCollectorTask.class);
    private final Counter runs;

    public GcMetrics(MetricRegistry registry) {
        for (GarbageCollectorTask task : GarbageCollectorTask.values()) {
            deleted.put(task, registry.counter(SlateDbMetricNames.GarbageCollector.DELETED_COUNT_PREFIX + "."
                    + task.name().toLowerCase(Locale.ROOT), "objects deleted by the " + task + " task"));
        }
        runs = registry.counter(SlateDbMetricNames.GarbageCollector.RUNS, "garbage collection task runs");
    }

    /** Counts one task's run. */
    public void record(GarbageCollectorTaskResult result) {
        runs.increment();
        if (!result.dryRun()) {
            deleted.get(result.task()).add(result.count());
        }
    }

    /** Counts every task's run of {@code result}. */
    public void record(GarbageCollectorResult result) {
        result.tasks().values().forEach(this::record);
    }
}
