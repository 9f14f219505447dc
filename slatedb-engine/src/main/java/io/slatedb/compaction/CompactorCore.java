package io.slatedb.compaction;

import io.slatedb.CloseReason;
import io.slatedb.CompactorOptions;
import io.slatedb.ErrorKind;
import io.slatedb.MergeOperator;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.format.UlidGenerator;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestMerge;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.manifest.SortedRun;
import io.slatedb.metadata.FenceableObject;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.reader.ScanParams;
import io.slatedb.reader.SstCaches;
import io.slatedb.reader.TableStore;
import io.slatedb.reader.TableStoreOptions;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.DaemonThreads;
import io.slatedb.util.Futures;
import io.slatedb.util.SharedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The compactor of one database: claims the compactor epoch (on the manifest, then the same epoch on
 * the {@code .compactions} object), then in rounds refreshes the manifest, asks the
 * {@link SizeTieredScheduler} for work, records each compaction in {@code .compactions}, runs it on
 * a worker thread, and commits its output: manifest first (a compare-and-swap merged with the
 * writer's concurrent changes by {@link ManifestMerge#forCompactor}), then the {@code .compactions}
 * entry as completed. A newer compactor fences this one: its next write fails and it stops.
 *
 * <p>Coordination (the manifest, the {@code .compactions} object, what runs) happens on one thread;
 * compactions run on up to {@code max_concurrent_compactions} worker threads. A stop at any point
 * loses nothing: output SSTs of a compaction that was not committed are in no manifest, and the
 * garbage collector deletes them.
 */
public final class CompactorCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactorCore.class);

    /** What the compactor reports to its owner. */
    public interface Listener {
        /** A compaction was committed: {@code manifest} is the manifest written. */
        void committed(Manifest manifest);
    }

    private record Running(CompactionSpec spec, CompactionRecord record, CompletableFuture<Void> done) {
    }

    private final String path;
    private final CompactorOptions options;
    private final FenceableObject<Manifest> manifest;
    private final FenceableObject<CompactionsState> compactions;
    private final SizeTieredScheduler scheduler;
    private final CompactionExecutor executor;
    private final TableStore tables;
    private final UlidGenerator ulids;
    private final Listener listener;
    private final ScheduledExecutorService coordinator;
    private final ExecutorService workers;
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final AtomicInteger runningCount = new AtomicInteger();
    private final Clock clock;
    private volatile long lastCompactionMillis;

    // Confined to the coordinator thread.
    private Manifest local;
    private final Map<Ulid, Running> running = new LinkedHashMap<>();
    private Throwable lastFailure;

    private volatile SlateDbException stopped;
    private boolean started;

    private CompactorCore(String path, ObjectStore store, CompactorOptions options, SstWriterOptions sstOptions,
                          Clock clock, MergeOperator mergeOperator, FenceableObject<Manifest> manifest,
                          FenceableObject<CompactionsState> compactions, Listener listener,
                          SharedThreads threads, SstCaches caches, MetricRegistry registry) {
        this.clock = clock;
        this.path = path;
        this.options = options;
        this.manifest = manifest;
        this.compactions = compactions;
        this.listener = listener;
        this.local = manifest.current().value();
        this.scheduler = new SizeTieredScheduler(options);
        this.ulids = new UlidGenerator(clock, new Random());
        // Compactions read blocks without caching them: only opened SSTs are worth a cache of their own.
        TableStoreOptions tableOptions = TableStoreOptions.DEFAULTS.withDataCacheBytes(0).withMetaCacheBytes(16L << 20);
        this.tables = caches == null ? new TableStore(store, path, tableOptions)
                : new TableStore(store, path, tableOptions, caches);
        this.executor = new CompactionExecutor(store, DbLayout.of(path), tables, sstOptions, ulids,
                options.maxSstSize(), new ScanParams(false, options.bytesToFetch(), options.maxFetchTasks()),
                options.enableTrivialMove(), mergeOperator, bytesWritten::add);
        if (threads == null) {
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("slatedb-" + path + "-compactor"));
            own.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.coordinator = own;
            this.workers = Executors.newFixedThreadPool(options.maxConcurrentCompactions(),
                    DaemonThreads.numbered("slatedb-" + path + "-compaction"));
        } else {
            // The coordinator's state is confined to it: a lease of parallelism 1 keeps it so.
            this.coordinator = threads.compaction("slatedb-" + path + "-compactor", 1);
            this.workers = threads.compaction("slatedb-" + path + "-compaction", options.maxConcurrentCompactions());
        }
        registry.gauge(SlateDbMetricNames.Compactor.BYTES_COMPACTED, "bytes of output SSTs written by compactions", bytesWritten::sum);
        registry.gauge(SlateDbMetricNames.Compactor.RUNNING_COMPACTIONS, "compactions running now", runningCount::get);
        registry.gauge(SlateDbMetricNames.Compactor.LAST_COMPACTION_TIMESTAMP_SEC, "when the last compaction was committed",
                () -> lastCompactionMillis / 1000);
        registry.gauge(SlateDbMetricNames.Compactor.COMPACTIONS, "compactions committed", completed::sum);
    }

    /**
     * Claims the compactor epoch of the database at {@code path} and returns the compactor, idle.
     *
     * @throws SlateDbException of kind DATA when the database has no manifest; CLOSED/FENCED when a
     *                          newer compactor claimed the {@code .compactions} object first
     */
    public static CompactorCore open(String path, ObjectStore store, CompactorOptions options,
                                     SstWriterOptions sstOptions, Clock clock, MergeOperator mergeOperator,
                                     Listener listener) {
        return open(path, store, options, sstOptions, clock, mergeOperator, listener, null, null, MetricRegistry.NOOP);
    }

    /**
     * {@link #open(String, ObjectStore, CompactorOptions, SstWriterOptions, Clock, MergeOperator, Listener)}
     * whose coordinator and workers are leases of {@code threads}' compaction pool, or threads of its own
     * when {@code threads} is null, which opens SSTs through {@code caches} (its own when null), and whose
     * metrics go to {@code registry}.
     */
    public static CompactorCore open(String path, ObjectStore store, CompactorOptions options,
                                     SstWriterOptions sstOptions, Clock clock, MergeOperator mergeOperator,
                                     Listener listener, SharedThreads threads, SstCaches caches,
                                     MetricRegistry registry) {
        DbLayout layout = DbLayout.of(path);
        StoredObject<Manifest> storedManifest = Futures.join(
                StoredObject.load(ManifestStore.sequence(store, layout, true), "manifest"));
        FenceableObject<Manifest> manifest = Futures.join(FenceableObject.claim(storedManifest,
                ManifestStore.COMPACTOR_EPOCH, "compactor", options.manifestUpdateTimeout()));
        StoredObject<CompactionsState> storedCompactions = Futures.join(StoredObject.loadOrCreate(
                CompactionsStore.sequence(store, layout, true), CompactionsState.INITIAL));
        FenceableObject<CompactionsState> compactions = Futures.join(FenceableObject.claimAt(storedCompactions,
                CompactionsStore.EPOCH, "compactor", manifest.epoch(), options.manifestUpdateTimeout()));
        // What an earlier compactor left running will never commit: forget it.
        CompactionsState current = compactions.current().value();
        if (!current.abandonUnfinished().equals(current)) {
            Futures.join(compactions.maybeApplyUpdate(latest -> Optional.of(latest.value().abandonUnfinished())));
        }
        LOG.info("compactor of {} started with epoch {}", path, manifest.epoch());
        return new CompactorCore(path, store, options, sstOptions, clock, mergeOperator, manifest, compactions,
                listener, threads, caches, registry);
    }

    /** The compactor epoch this compactor holds. */
    public long epoch() {
        return manifest.epoch();
    }

    /** Bytes of output SSTs written so far. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Compactions committed so far. */
    public long completedCompactions() {
        return completed.sum();
    }

    /** The manifest as this compactor last wrote or read it. */
    public Manifest manifest() {
        return Futures.join(CompletableFuture.supplyAsync(() -> local, coordinator));
    }

    /**
     * Runs compactions until the scheduler finds nothing more to do and none is running; the future
     * completes then.
     *
     * <p>It fails with a SlateDbException when a compaction or a metadata update failed (CLOSED/FENCED
     * when a newer compactor took over).
     */
    public CompletableFuture<Void> runUntilIdle() {
        CompletableFuture<CompletableFuture<Void>> round;
        try {
            checkRunning();
            round = CompletableFuture.supplyAsync(this::round, coordinator);
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RejectedExecutionException closedMeanwhile) {
            return CompletableFuture.failedFuture(stopped != null ? stopped : closedMeanwhile);
        }
        return round.thenCompose(pending -> pending == null ? CompletableFuture.<Void>completedFuture(null)
                : pending.thenCompose(unused -> runUntilIdle()));
    }

    /**
     * One round of {@link #runUntilIdle}, on the coordinator: fails with the last background failure, or
     * starts what the scheduler picks and returns the compactions running (null when none is).
     */
    private CompletableFuture<Void> round() {
        if (lastFailure != null) {
            Throwable failure = lastFailure;
            lastFailure = null;
            throw Futures.rethrow(failure);
        }
        tick();
        if (running.isEmpty()) {
            return null;
        }
        return CompletableFuture.allOf(running.values().stream().map(Running::done).toArray(CompletableFuture[]::new));
    }

    /** Looks for work every {@code poll_interval} on background threads until {@link #close}. Idempotent. */
    public synchronized void start() {
        checkRunning();
        if (started) {
            return;
        }
        started = true;
        long nanos = options.pollInterval().toNanos();
        coordinator.scheduleWithFixedDelay(this::tickLogged, 0, nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops: compactions in flight are abandoned (their outputs are garbage). Idempotent. */
    @Override
    public void close() {
        if (stopped == null) {
            stopped = SlateDbException.closed(CloseReason.CLEAN, "the compactor of " + path + " is closed");
        }
        try {
            // Compactions in flight will not be committed: record them as failed, so that the garbage
            // collector need not keep what they wrote, and release whoever waits for them.
            coordinator.execute(() -> {
                List<Running> abandoned = new ArrayList<>(running.values());
                running.clear();
                abandoned.forEach(this::abandon);
            });
        } catch (java.util.concurrent.RejectedExecutionException alreadyClosed) {
            // closed before
        }
        coordinator.shutdown();
        workers.shutdown();
        try {
            if (!coordinator.awaitTermination(30, TimeUnit.SECONDS)) {
                coordinator.shutdownNow();
            }
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            coordinator.shutdownNow();
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        tables.close();
    }

    private void checkRunning() {
        SlateDbException reason = stopped;
        if (reason != null) {
            throw reason;
        }
    }

    private void tickLogged() {
        try {
            tick();
        } catch (RuntimeException e) {
            if (stopped == null) {
                LOG.warn("compactor of {}: a round failed; retried at the next poll: {}", path, String.valueOf(e));
            }
        }
    }

    /** One round: refresh the manifest and start what the scheduler picks. On the coordinator thread. */
    private void tick() {
        if (stopped != null) {
            return;
        }
        try {
            local = ManifestMerge.forCompactor(local, Futures.join(manifest.refresh()).value());
            if (!local.core().segments().isEmpty()) {
                return; // segmented trees are not compacted here
            }
            List<CompactionSpec> specs = scheduler.schedule(local.core().tree(),
                    running.values().stream().map(Running::spec).toList());
            for (CompactionSpec spec : specs) {
                submit(spec);
            }
        } catch (RuntimeException e) {
            stopIfFenced(e);
            throw e;
        }
    }

    private void submit(CompactionSpec spec) {
        CompactionRecord record = new CompactionRecord(ulids.next(), spec.l0ViewIds(), spec.sortedRunIds(),
                CompactionStatus.SUBMITTED);
        writeCompactions(record);
        record = record.withStatus(CompactionStatus.RUNNING);
        writeCompactions(record);
        Manifest snapshot = local;
        Running job = new Running(spec, record, new CompletableFuture<>());
        running.put(record.id(), job);
        runningCount.incrementAndGet();
        job.done().whenComplete((unused, error) -> runningCount.decrementAndGet());
        LOG.debug("compactor of {}: compaction {} of L0 {} and runs {} into run {}", path, record.id(),
                spec.l0ViewIds(), spec.sortedRunIds(), spec.destination());
        CompletableFuture.supplyAsync(() -> executor.run(spec, snapshot, () -> stopped != null), workers)
                .whenCompleteAsync((output, error) -> finish(job, output, error), coordinator);
    }

    /** Commits (or records the failure of) a compaction. On the coordinator thread. */
    private void finish(Running job, SortedRun output, Throwable error) {
        try {
            if (stopped != null) {
                if (running.remove(job.record().id()) != null) {
                    abandon(job);
                }
                return;
            }
            if (error != null) {
                throw Futures.rethrow(Futures.unwrap(error));
            }
            Manifest written = Futures.join(manifest.maybeApplyUpdate(latest -> {
                Manifest base = ManifestMerge.forCompactor(local, latest.value());
                Manifest applied = CompactionResult.apply(base, job.spec(), output);
                return Optional.of(ManifestMerge.forCompactor(applied, latest.value()));
            })).value();
            local = written;
            writeCompactions(job.record().withStatus(CompactionStatus.COMPLETED));
            completed.increment();
            lastCompactionMillis = clock.millis();
            running.remove(job.record().id());
            job.done().complete(null);
            listener.committed(written);
            tick();
        } catch (RuntimeException e) {
            running.remove(job.record().id());
            stopIfFenced(e);
            if (stopped == null) {
                LOG.warn("compactor of {}: compaction {} failed: {}", path, job.record().id(), String.valueOf(e));
                lastFailure = e;
                try {
                    writeCompactions(job.record().withStatus(CompactionStatus.FAILED));
                } catch (RuntimeException again) {
                    stopIfFenced(again);
                }
            }
            job.done().complete(null);
        }
    }

    /** Records a compaction the stopped compactor will not commit as failed, unless it was fenced. */
    private void abandon(Running job) {
        if (stopped == null || stopped.closeReason() != CloseReason.FENCED) {
            try {
                writeCompactions(job.record().withStatus(CompactionStatus.FAILED));
            } catch (RuntimeException e) {
                LOG.debug("compactor of {}: recording abandoned compaction {} failed", path, job.record().id(), e);
            }
        }
        job.done().complete(null);
    }

    private void writeCompactions(CompactionRecord record) {
        Futures.join(compactions.maybeApplyUpdate(latest -> Optional.of(latest.value().with(record))));
    }

    /** A fenced compactor stops for good: its compactions are abandoned. */
    private void stopIfFenced(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof SlateDbException e && e.kind() == ErrorKind.CLOSED && stopped == null) {
            stopped = e;
            LOG.warn("compactor of {}: {}; it stops", path, e.getMessage());
            for (Running job : new ArrayList<>(running.values())) {
                job.done().complete(null);
            }
            running.clear();
        }
    }

    /** Why the compactor stopped, or null while it runs. */
    public SlateDbException stopped() {
        return stopped;
    }

}
