package io.slatedb.compaction;

import io.slatedb.CompactorOptions;
import io.slatedb.ErrorKind;
import io.slatedb.MergeOperator;
import io.slatedb.SlateDbException;
import io.slatedb.manifest.Manifest;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.reader.SstCaches;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.SharedThreads;

import java.time.Clock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compactor a writer runs in its own process: started when the writer opens, with the writer's
 * store, clock, merge operator and {@code compactor_options}, stopped when it closes. Does nothing
 * when the options are {@code null}. Each commit is reported to the writer, so that it adopts the smaller L0 at once
 * rather than at its next manifest poll. A compactor started elsewhere later fences this one, which
 * then stops while the writer goes on.
 */
public final class EmbeddedCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCompactor.class);
    private static final EmbeddedCompactor NONE = new EmbeddedCompactor(null);

    private final CompactorCore core;

    private EmbeddedCompactor(CompactorCore core) {
        this.core = core;
    }

    /** Starts the compactor of the database at {@code path}, or nothing when {@code options} is null. */
    public static EmbeddedCompactor start(String path, ObjectStore store, CompactorOptions options,
                                          SstWriterOptions sstOptions, Clock clock, MergeOperator mergeOperator,
                                          Consumer<Manifest> committed) {
        return start(path, store, options, sstOptions, clock, mergeOperator, committed, null, null, MetricRegistry.NOOP);
    }

    /**
     * {@link #start(String, ObjectStore, CompactorOptions, SstWriterOptions, Clock, MergeOperator, Consumer)}
     * on shared threads and caches, if any, publishing the compactor's metrics to the writer's
     * {@code registry}.
     */
    public static EmbeddedCompactor start(String path, ObjectStore store, CompactorOptions options,
                                          SstWriterOptions sstOptions, Clock clock, MergeOperator mergeOperator,
                                          Consumer<Manifest> committed, SharedThreads threads, SstCaches caches,
                                          MetricRegistry registry) {
        if (options == null) {
            return NONE;
        }
        CompactorCore core;
        try {
            core = CompactorCore.open(path, store, options, sstOptions, clock, mergeOperator, committed::accept,
                    threads, caches, registry);
        } catch (SlateDbException e) {
            if (e.kind() != ErrorKind.CLOSED) {
                throw e;
            }
            // Another compactor claimed the epoch at the same moment: it compacts, the writer goes on without.
            LOG.warn("database {}: another compactor took over while this writer's started; none runs here: {}",
                    path, e.getMessage());
            return NONE;
        }
        core.start();
        return new EmbeddedCompactor(core);
    }

    /** The running compactor, or null when none runs. */
    public CompactorCore core() {
        return core;
    }

    /** Stops the compactor. Idempotent. */
    @Override
    public void close() {
        if (core != null) {
            core.close();
        }
    }
}
