package io.slatedb.gc;

import io.slatedb.GarbageCollector;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.SharedThreads;

import java.time.Clock;

/**
 * The garbage collector a writer runs in its own process: started when the writer opens, with the
 * writer's store, clock and {@code garbage_collector_options}, and stopped when it closes. Does nothing
 * when the options are {@code null} or disable every task.
 */
public final class EmbeddedGc implements AutoCloseable {
    private static final EmbeddedGc NONE = new EmbeddedGc(null);

    private final GarbageCollector collector;

    private EmbeddedGc(GarbageCollector collector) {
        this.collector = collector;
    }

    /** Starts the collector of the database at {@code path}, or nothing when {@code options} is null. */
    public static EmbeddedGc start(String path, ObjectStore store, GarbageCollectorOptions options, Clock clock) {
        return start(path, store, options, clock, null, MetricRegistry.NOOP);
    }

    /**
     * {@link #start(String, ObjectStore, GarbageCollectorOptions, Clock)} on the writer's shared threads,
     * if any, publishing the collector's metrics to the writer's {@code registry}.
     */
    public static EmbeddedGc start(String path, ObjectStore store, GarbageCollectorOptions options, Clock clock,
                                   SharedThreads threads, MetricRegistry registry) {
        if (options == null || (options.manifestOptions() == null && options.walOptions() == null
                && options.walFenceOptions() == null && options.compactedOptions() == null
                && options.compactionsOptions() == null && options.detachOptions() == null)) {
            return NONE;
        }
        GarbageCollector collector = GarbageCollector.builder(path, store).withOptions(options).withClock(clock)
                .withMetrics(registry).build();
        CollectorStarts.start(collector, threads);
        return new EmbeddedGc(collector);
    }

    /** The running collector, or null when none runs. */
    public GarbageCollector collector() {
        return collector;
    }

    /** Stops the collector. Idempotent. */
    @Override
    public void close() {
        if (collector != null) {
            collector.close();
        }
    }
}
