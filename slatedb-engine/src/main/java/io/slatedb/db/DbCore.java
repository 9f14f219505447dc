package io.slatedb.db;

import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.CloseReason;
import io.slatedb.DurabilityLevel;
import io.slatedb.ErrorKind;
import io.slatedb.FlushType;
import io.slatedb.MergeOperator;
import io.slatedb.ReadOptions;
import io.slatedb.ScanOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.WriteHandle;
import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.format.DbLayout;
import io.slatedb.format.UlidGenerator;
import io.slatedb.memtable.ImmutableMemtable;
import io.slatedb.memtable.Memtable;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.reader.HandleReads;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.LsmScan;
import io.slatedb.reader.ReadPoint;
import io.slatedb.reader.TableStore;
import io.slatedb.reader.SstCaches;
import io.slatedb.reader.TableStoreOptions;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.Futures;
import io.slatedb.util.SharedThreads;
import io.slatedb.wal.WalWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Internal: the engine behind {@link io.slatedb.Db}, one open writer of one database. Writes go, under
 * one lock and in sequence order, into the WAL buffer and the mutable memtable; the WAL writer makes
 * them durable; full memtables are frozen and handed to the {@link L0Flusher}, which writes them to
 * L0 and lists them in the manifest through the {@link ManifestKeeper}. Reads see the current
 * {@link DbState.View} at the committed sequence number. Any fatal failure (fencing above all) closes
 * the writer: later calls fail with kind CLOSED.
 */
public final class DbCore {
    private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);

    private final String path;
    private final Settings settings;
    private final DbResources resources;
    private final ObjectStore store;
    private final TableStore tables;
    private final HandleReads reads;
    private final DbState state;
    private final WalWriter wal;
    private final ManifestKeeper keeper;
    private final L0Flusher flusher;
    private final Backpressure backpressure;
    private final WriterClock clock;
    private final Clock wallClock;
    private final DbMetrics metrics;
    private final BatchRows batchRows;
    private final long l0SstSizeBytes;
    private final long maxWalFlushesBeforeL0Flush;
    private final ScheduledFuture<?> poller;
    private final AtomicBoolean polling = new AtomicBoolean();
    // Garbage collection: the embedded collector (garbage_collector_options), started at open, stopped at close.
    private final io.slatedb.gc.EmbeddedGc gc;
    // Compaction: the embedded compactor (compactor_options), started at open, stopped at close.
    private final io.slatedb.compaction.EmbeddedCompactor compactor;

    private final ReentrantLock writeLock = new ReentrantLock();
    // Guarded by writeLock.
    private long lastFreezeWalId;
    private volatile long lastSeq;
    private volatile long committedSeq;
    private volatile SlateDbException failure;
    private volatile boolean closing;
    private final Object closeLock = new Object();
    private boolean closed;

    private DbCore(String path, Settings settings, DbResources resources, ObjectStore store, TableStore tables,
                   WriterFence.Claimed claimed, WalRecovery.Recovered recovered, Clock clock,
                   MetricRegistry registry, MergeOperator mergeOperator) {
        this.path = path;
        this.settings = settings;
        this.resources = resources;
        this.store = store;
        this.tables = tables;
        this.batchRows = new BatchRows(mergeOperator, settings.defaultTtl());
        this.l0SstSizeBytes = settings.l0SstSizeBytes();
        this.maxWalFlushesBeforeL0Flush = settings.maxWalFlushesBeforeL0Flush();
        this.clock = new WriterClock(clock, recovered.maxCreateTs());
        this.wallClock = clock;
        this.lastSeq = recovered.lastSeq();
        this.committedSeq = recovered.lastSeq();
        this.lastFreezeWalId = claimed.fenceWalId();
        this.reads = new HandleReads(new LsmReader(tables, mergeOperator), this::readPoint);

        List<ImmutableMemtable> newestFirst = new ArrayList<>(recovered.frozen());
        java.util.Collections.reverse(newestFirst);
        this.state = new DbState(tables, claimed.manifest().current().id(),
                claimed.manifest().current().value(), recovered.active(), newestFirst);
        DbLayout layout = DbLayout.of(path);
        SstWriterOptions sstOptions = sstOptions(settings);
        this.backpressure = new Backpressure(settings.maxUnflushedBytes(), this::unflushedBytes);
        this.metrics = new DbMetrics(registry, this);
        this.wal = new WalWriter(store, layout, sstOptions, claimed.fenceWalId() + 1, recovered.lastSeq(),
                settings.l0SstSizeBytes(), settings.flushInterval(), resources.scheduler(), resources.io(),
                new WalWriter.Listener() {
                    @Override
                    public void walFileWritten(long walId, long lastSeq, long encodedBytes) {
                        metrics.walFileWritten(encodedBytes);
                        releaseWriters();
                    }

                    @Override
                    public void walWriterFailed(SlateDbException cause) {
                        fail(cause);
                    }
                });
        this.keeper = new ManifestKeeper(claimed.manifest(), state, clock);
        UlidGenerator ulids = new UlidGenerator(clock, new Random());
        this.flusher = new L0Flusher(store, layout, sstOptions, ulids, resources.io(), wal, keeper, state,
                settings.l0FlushParallelism(), settings.l0MaxSsts(), settings.l0MaxSstsPerKey(), new L0Flusher.Listener() {
            @Override
            public void l0Published(long bytes, long rows) {
                metrics.l0Published(bytes);
                releaseWriters();
            }

            @Override
            public void flushFailed(Throwable cause) {
                fail((SlateDbException) Futures.rethrow(cause));
            }
        });
        recovered.frozen().forEach(flusher::enqueue);
        long pollNanos = settings.manifestPollInterval().toNanos();
        this.poller = resources.scheduler().scheduleWithFixedDelay(this::pollManifest, pollNanos, pollNanos,
                TimeUnit.NANOSECONDS);
        this.gc = io.slatedb.gc.EmbeddedGc.start(path, store, settings.garbageCollectorOptions(), clock,
                resources.shared(), registry);
        this.compactor = io.slatedb.compaction.EmbeddedCompactor.start(path, store, settings.compactorOptions(),
                sstOptions, clock, mergeOperator, written -> compactionCommitted(), resources.shared(),
                resources.shared() == null ? null : tables.caches(), registry);
        LOG.info("opened database {} on {}: writer epoch {}, WAL fence {}, {} rows replayed, last sequence number {}",
                path, store.describe(), keeper.writerEpoch(), claimed.fenceWalId(), recovered.rows(),
                Long.toUnsignedString(recovered.lastSeq()));
    }

    /**
     * Opens the database at {@code path} in {@code userStore} as its writer: claims it (fencing any
     * older writer), replays the WAL and starts the background work. Requests to the store are recorded
     * in {@code registry} and retried with {@code retryPolicy} as limited by the settings. Reads, writes and
     * the embedded compactor fold merge operands with {@code mergeOperator} (null: merges are refused).
     */
    public static DbCore open(String path, ObjectStore userStore, Settings settings, MetricRegistry registry,
                              Clock clock, RetryPolicy retryPolicy, MergeOperator mergeOperator) {
        return open(path, userStore, settings, registry, clock, retryPolicy, mergeOperator, null, null);
    }

    /**
     * Opens the database as
     * {@link #open(String, ObjectStore, Settings, MetricRegistry, Clock, RetryPolicy, MergeOperator)} does,
     * on {@code sharedThreads} and with {@code sharedCaches} when they are not null (the settings' cache
     * budgets are then not used); its embedded compactor and garbage collector use them too, and its
     * store's retries wait on the shared retry timer.
     */
    public static DbCore open(String path, ObjectStore userStore, Settings settings, MetricRegistry registry,
                              Clock clock, RetryPolicy retryPolicy, MergeOperator mergeOperator,
                              SharedThreads sharedThreads, SstCaches sharedCaches) {
        DbResources resources = new DbResources(path, settings, retryPolicy, registry, sharedThreads);
        try {
            ObjectStore store = resources.wrap(userStore);
            DbLayout layout = DbLayout.of(path);
            SstWriterOptions sstOptions = sstOptions(settings);
            WriterFence.Claimed claimed = Futures.join(WriterFence.claim(store, store, layout,
                    settings.manifestUpdateTimeout(), sstOptions));
            WalRecovery.Recovered recovered = Futures.join(WalRecovery.replay(store, layout, claimed.manifest(),
                    claimed.fenceWalId(), settings.l0SstSizeBytes()));
            TableStoreOptions tableOptions = TableStoreOptions.DEFAULTS
                    .withDataCacheBytes(settings.blockCacheBytes())
                    .withMetaCacheBytes(settings.metaCacheBytes());
            TableStore tables = sharedCaches == null ? new TableStore(store, path, tableOptions)
                    : new TableStore(store, path, tableOptions, sharedCaches);
            return new DbCore(path, settings, resources, store, tables, claimed, recovered, clock, registry,
                    mergeOperator);
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    public static SstWriterOptions sstOptions(Settings settings) {
        return SstWriterOptions.DEFAULTS
                .withBlockSize(settings.sstBlockSize())
                .withCompression(settings.compressionCodec())
                .withMinFilterKeys(settings.minFilterKeys())
                .withFilterBitsPerKey(settings.filterBitsPerKey());
    }

    // ---------------------------------------------------------------- writes

    /**
     * Applies {@code ops} (in key order; a key's merges after its first operation) as one write with one
     * sequence number, once the
     * backpressure admits it. The future completes with the handle when the write is applied in memory,
     * or, with {@code awaitDurable}, when it is durable.
     */
    public CompletableFuture<WriteHandle> write(List<WriteOp> ops, boolean awaitDurable) {
        if (ops.isEmpty()) {
            return CompletableFuture.failedFuture(new SlateDbException(ErrorKind.INVALID, "a write batch must not be empty"));
        }
        try {
            batchRows.checkMerges(ops);
            checkOpen();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> turn = backpressure.admit();
        if (!turn.isDone()) {
            // Memory is full: write the WAL buffer now rather than at the next tick (or never, without
            // timed flushes), so the memory it holds and the memtables waiting on it are freed.
            wal.flush();
        }
        CompletableFuture<WriteHandle> applied = turn.isDone() && !turn.isCompletedExceptionally()
                ? applyNow(ops) : turn.thenApply(unused -> apply(ops));
        if (!awaitDurable) {
            return applied;
        }
        return applied.thenCompose(handle -> handle.durable().thenApply(unused -> handle));
    }

    private CompletableFuture<WriteHandle> applyNow(List<WriteOp> ops) {
        try {
            return CompletableFuture.completedFuture(apply(ops));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private WriteHandle apply(List<WriteOp> ops) {
        long seq;
        long createTs;
        long bytes = 0;
        writeLock.lock();
        try {
            checkOpen();
            createTs = clock.now();
            seq = lastSeq + 1;
            // Folding merges runs the user's operator; if it fails, nothing was written.
            List<RowEntry> rows = batchRows.rows(ops, seq, createTs);
            for (WriteOp op : ops) {
                bytes += op.bytes();
            }
            wal.append(rows);
            lastSeq = seq;
            Memtable memtable = state.view().active();
            for (RowEntry row : rows) {
                memtable.put(row);
            }
            committedSeq = seq;
            if (memtable.estimatedSstSize() >= l0SstSizeBytes
                    || wal.lastWrittenWalId() - lastFreezeWalId >= maxWalFlushesBeforeL0Flush) {
                freezeLocked();
            }
        } finally {
            writeLock.unlock();
        }
        metrics.written(ops, bytes);
        return new WriteHandle(seq, createTs, () -> wal.awaitDurable(seq).exceptionallyCompose(e ->
                CompletableFuture.failedFuture(closedError(Futures.unwrap(e)))));
    }

    /**
     * Admits waiting writes now that memory was freed. When some must still wait, writes the WAL buffer
     * (the writes just admitted filled it) rather than leave them to the next flush tick, or, without
     * timed flushes, for ever.
     */
    private void releaseWriters() {
        backpressure.release();
        if (backpressure.waitingCount() > 0) {
            wal.flush();
        }
    }

    /** Freezes the mutable memtable, when it holds rows, and hands it to the flusher. */
    private void freezeLocked() {
        if (state.view().active().isEmpty()) {
            return;
        }
        // Cut the WAL buffer here too, so the memtable's rows are exactly those in WAL files up to lastWalId.
        wal.flush();
        long lastWalId = wal.nextWalId() - 1;
        ImmutableMemtable frozen = state.freezeActive(lastWalId);
        lastFreezeWalId = lastWalId;
        metrics.memtableFrozen();
        flusher.enqueue(frozen);
    }

    /** Forces a flush: the WAL buffer to the WAL, or the memtables through to L0 and the manifest. */
    public CompletableFuture<Void> flush(FlushType type) {
        try {
            checkOpen();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        return flushInternal(type).exceptionallyCompose(e ->
                CompletableFuture.failedFuture(closedError(Futures.unwrap(e))));
    }

    private CompletableFuture<Void> flushInternal(FlushType type) {
        if (type == FlushType.WAL) {
            return wal.flush();
        }
        writeLock.lock();
        try {
            freezeLocked();
        } finally {
            writeLock.unlock();
        }
        return wal.flush().thenCompose(unused -> flusher.awaitPublished());
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Creates a checkpoint through the writer's manifest updates, so it is ordered with L0 publishes and
     * keeps the writer's fields. {@link CheckpointScope#ALL} first flushes the WAL and every memtable to
     * L0 (as {@link FlushType#MEMTABLE}), so the checkpoint holds every write issued before the call;
     * {@link CheckpointScope#DURABLE} writes at once, and the pinned manifest's WAL range reaches past
     * the last durable WAL file. Without a source the checkpoint pins the manifest that adds it.
     */
    public CompletableFuture<CheckpointCreateResult> createCheckpoint(CheckpointScope scope, CheckpointOptions options) {
        try {
            checkOpen();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        UUID id = UUID.randomUUID();
        CompletableFuture<Void> flushed = scope == CheckpointScope.ALL ? flushInternal(FlushType.MEMTABLE)
                : CompletableFuture.completedFuture(null);
        return flushed.thenCompose(unused -> keeper.updateCheckpoints(Checkpoints.creating(id, options, wallClock),
                        wal.manifestNextWalId()))
                .thenApply(written -> Checkpoints.created(written.value(), id))
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof SlateDbException error && error.kind() == ErrorKind.CLOSED) {
                        fail(error); // fenced while writing the manifest
                    }
                    return CompletableFuture.failedFuture(closedError(cause));
                });
    }

    // ---------------------------------------------------------------- reads

    /** The visible row of {@code key} (a value, not a tombstone), or null. */
    public CompletableFuture<RowEntry> get(byte[] key, ReadOptions options) {
        try {
            checkOpen();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        metrics.get();
        return reads.get(key, options);
    }

    /** The visible rows with keys in {@code range}, in key order. */
    public LsmScan scan(KeyRange range, ScanOptions options) {
        checkOpen();
        metrics.scan();
        return reads.scan(range, options);
    }

    /**
     * Where a read starts. The sequence number is read before the view, so every row at or below it is
     * in the view (rows only ever move down the tree, never out of it).
     */
    private ReadPoint readPoint(DurabilityLevel durability, boolean dirty) {
        long seq = dirty ? lastSeq : committedSeq;
        if (durability == DurabilityLevel.REMOTE) {
            long durable = wal.durableSeq();
            seq = Long.compareUnsigned(durable, seq) < 0 ? durable : seq;
        }
        return new ReadPoint(state.view().reads(), seq);
    }

    // ---------------------------------------------------------------- lifecycle

    private void pollManifest() {
        // Polls go on while closing: the last flush may wait for a compactor elsewhere to make room in L0.
        if (failure != null) {
            return;
        }
        // A poll still in flight (a slow store) stands for this tick too: queuing one more behind it each
        // tick would pile up polls without bound, delay the writer's own manifest updates queued behind
        // them, and make close wait for the whole pile.
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        keeper.poll().whenComplete((manifest, error) -> {
            polling.set(false);
            if (error != null) {
                SlateDbException cause = (SlateDbException) Futures.rethrow(error);
                if (cause.kind() == ErrorKind.CLOSED) {
                    fail(cause);
                } else {
                    // A failed poll is retried at the next tick; only fencing is fatal.
                    LOG.warn("database {}: reading the manifest failed: {}", path, String.valueOf(cause));
                }
            } else {
                flusher.pump(); // the compactor may have made room in L0
                releaseWriters(); // a safety net: admit writers even if a release was missed
            }
        });
    }

    /** The embedded compactor committed: adopt the smaller L0 now, which may let a waiting flush start. */
    private void compactionCommitted() {
        if (failure != null) {
            return;
        }
        keeper.poll().whenComplete((manifest, error) -> {
            if (error == null) {
                flusher.pump();
                backpressure.release();
            }
        });
    }

    /** Stops the writer after a fatal failure; the first one wins. */
    void fail(SlateDbException cause) {
        if (cause.closeReason() == CloseReason.CLEAN) {
            return; // the close itself stopping the parts
        }
        synchronized (closeLock) {
            if (failure != null) {
                return;
            }
            failure = cause.kind() == ErrorKind.CLOSED ? cause
                    : SlateDbException.closed(CloseReason.PANIC, "the database " + path
                    + " stopped after a fatal failure: " + cause.getMessage(), cause);
        }
        if (failure.closeReason() == CloseReason.FENCED) {
            LOG.warn("database {}: fenced by a newer writer; this writer stops", path);
        } else {
            LOG.error("database {}: stopped after a fatal failure", path, cause);
        }
        wal.fail(failure);
        flusher.fail(failure);
        backpressure.fail(failure);
        poller.cancel(false);
    }

    /**
     * Closes the writer: flushes the memtables to L0 (unless it already failed), records the WAL
     * position in the manifest, and stops every background task. Idempotent.
     */
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writeLock.lock();
        try {
            closing = true;
        } finally {
            writeLock.unlock();
        }
        SlateDbException error = null;
        try {
            if (failure == null) {
                Futures.join(flushInternal(FlushType.MEMTABLE));
                Futures.join(keeper.recordWalPosition(wal.manifestNextWalId()));
            }
        } catch (SlateDbException e) {
            error = e;
        } finally {
            compactor.close(); // after the last flush, which may need it to make room in L0
            gc.close(); // before the resources: its runs use the writer's store
            poller.cancel(false);
            SlateDbException closedReason = failure != null ? failure
                    : SlateDbException.closed(CloseReason.CLEAN, "the database " + path + " is closed");
            wal.fail(closedReason);
            flusher.fail(closedReason);
            backpressure.fail(closedReason);
            Futures.join(keeper.idle());
            tables.close();
            resources.close();
        }
        if (error != null) {
            throw error;
        }
        LOG.info("closed database {}", path);
    }

    private void checkOpen() {
        SlateDbException failed = failure;
        if (failed == null && wal.failure() != null) {
            // The WAL writer wakes its waiters before it tells this writer, so a caller can get here first.
            fail(wal.failure());
            failed = failure;
        }
        if (failed != null) {
            throw failed;
        }
        if (closing) {
            throw SlateDbException.closed(CloseReason.CLEAN, "the database " + path + " is closed");
        }
    }

    /** The error to report when a write's durability or a flush failed: the writer's failure when it has one. */
    private SlateDbException closedError(Throwable cause) {
        SlateDbException failed = failure;
        if (failed != null) {
            return failed;
        }
        return (SlateDbException) Futures.rethrow(cause);
    }

    // ---------------------------------------------------------------- state for metrics and tests

    /** Bytes held in memory and not yet in object storage: memtables and WAL buffers. */
    long unflushedBytes() {
        DbState.View view = state.view();
        long bytes = view.active().estimatedSstSize();
        for (ImmutableMemtable m : view.immutables()) {
            bytes += m.estimatedSstSize();
        }
        return bytes + (wal == null ? 0 : wal.unflushedBytes());
    }

    DbState state() {
        return state;
    }

    TableStore tables() {
        return tables;
    }

    WalWriter wal() {
        return wal;
    }

    Backpressure backpressure() {
        return backpressure;
    }

    /** The last sequence number assigned. */
    public long lastSeq() {
        return lastSeq;
    }

    /** The highest sequence number durable in object storage. */
    public long durableSeq() {
        return wal.durableSeq();
    }

    /** The settings the writer runs with. */
    public Settings settings() {
        return settings;
    }

    /** The manifest as the writer last wrote or read it. */
    public io.slatedb.manifest.Manifest manifest() {
        return state.manifest();
    }

    /** The object store the writer uses (with its retries). */
    public ObjectStore store() {
        return store;
    }

    /** The database's path in the store. */
    public String path() {
        return path;
    }
}
