package io.slatedb.dbreader;

import io.slatedb.CloseReason;
import io.slatedb.DbReaderMode;
import io.slatedb.DbReaderOptions;
import io.slatedb.ErrorKind;
import io.slatedb.MergeOperator;
import io.slatedb.ReadOptions;
import io.slatedb.ScanOptions;
import io.slatedb.SlateDbException;
import io.slatedb.WalTruncatedException;
import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.reader.HandleReads;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.LsmScan;
import io.slatedb.reader.ReadPoint;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.SstCaches;
import io.slatedb.reader.TableStore;
import io.slatedb.reader.TableStoreOptions;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.StoreStack;
import io.slatedb.util.DaemonThreads;
import io.slatedb.util.Futures;
import io.slatedb.util.SharedThreads;
import io.slatedb.wal.L0SeqCheck;
import io.slatedb.wal.WalFile;
import io.slatedb.wal.WalReplay;
import io.slatedb.wal.WalTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Internal: the engine behind {@link io.slatedb.DbReader}. Holds the manifest the reader reads (pinned by
 * its own checkpoint, by the caller's, or the latest one), the WAL rows replayed on top of it
 * ({@link ReplayedTables}), and publishes both as one immutable {@link State} that reads take at their
 * start. A poller thread follows the database in {@link DbReaderMode#MANAGED_CHECKPOINT} and
 * {@link DbReaderMode#FOLLOW_LATEST} modes; it alone changes the state, so polls never overlap.
 * A reader exposes only rows durable in object storage: its reads run at the highest replayed sequence
 * number whatever their durability options say.
 */
public final class ReaderCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderCore.class);
    /** WAL files read ahead during replay, as SlateDB's replay does. */
    private static final int WAL_PRELOAD = 4;
    /** How long close waits for a poll in progress. */
    private static final long CLOSE_WAIT_SECONDS = 60;

    /**
     * One consistent state: the manifest read and its id, the view of replayed tables and SSTs, the
     * highest sequence number reads may see, and the last WAL file replayed (or the manifest's replay
     * point). Every row at or below {@code maxSeq} is in the view; every later one is in a WAL file after
     * {@code walId}.
     */
    public record State(long manifestId, Manifest manifest, ReadView view, long maxSeq, long walId) {

        /** The read point of this state. */
        public ReadPoint readPoint() {
            return new ReadPoint(view, maxSeq);
        }
    }

    private final String path;
    private final DbReaderMode mode;
    private final DbReaderOptions options;
    private final DbLayout layout;
    private final ObjectStore store;
    private final StoreStack stores;
    /** The shared threads the poller leases, or null when it has its own thread. */
    private final SharedThreads sharedThreads;
    private final TableStore tableStore;
    private final LsmReader lsmReader;
    private final ReaderMetrics metrics;
    private final HandleReads reads;
    private final SequencedObjectStore<Manifest> manifests;
    private final Clock clock;
    // Poller-only state below (and during open, before the poller starts).
    private StoredObject<Manifest> stored;
    private OwnCheckpoint checkpoint;
    private ReplayedTables tables;
    private ScheduledExecutorService poller;

    private volatile State state;
    /** Completed when the poll running now (or the next one) ends, whether it succeeded or not. */
    private volatile CompletableFuture<Void> pollEnded = new CompletableFuture<>();
    private volatile boolean closed;
    private final Object closeLock = new Object();

    private ReaderCore(String path, ObjectStore userStore, DbReaderMode mode, DbReaderOptions options, Clock clock,
                       RetryPolicy retryPolicy, MergeOperator mergeOperator, SharedThreads sharedThreads,
                       SstCaches sharedCaches, MetricRegistry registry) {
        this.path = path;
        this.mode = mode;
        this.options = options;
        this.clock = clock;
        this.layout = DbLayout.of(path);
        this.sharedThreads = sharedThreads;
        this.stores = SharedThreads.storeStack(sharedThreads, "slatedb-reader-" + path, retryPolicy, null);
        this.store = stores.wrap(userStore);
        TableStoreOptions tableOptions = TableStoreOptions.DEFAULTS
                .withDataCacheBytes(options.blockCacheBytes())
                .withMetaCacheBytes(options.metaCacheBytes());
        this.tableStore = sharedCaches == null ? new TableStore(store, path, tableOptions)
                : new TableStore(store, path, tableOptions, sharedCaches);
        this.lsmReader = new LsmReader(tableStore, mergeOperator);
        this.reads = new HandleReads(lsmReader, this::readPoint);
        this.metrics = new ReaderMetrics(registry, tableStore, () -> state == null ? 0 : state.manifestId(),
                () -> state == null ? 0 : state.maxSeq());
        this.manifests = ManifestStore.sequence(store, layout, true);
    }

    /**
     * Opens a reader of the database at {@code path}.
     *
     * @param checkpointId  the checkpoint to read in {@link DbReaderMode#CHECKPOINT} mode; null otherwise
     * @param retryPolicy   how transient store failures are retried
     * @param mergeOperator folds merge operands on reads; null when there is none
     * @throws SlateDbException of kind INVALID for options the mode does not accept, DATA when there is
     *                          no (initialized) database or no such checkpoint, UNAVAILABLE when the
     *                          store fails
     */
    public static ReaderCore open(String path, ObjectStore userStore, DbReaderMode mode, UUID checkpointId,
                                  DbReaderOptions options, Clock clock, RetryPolicy retryPolicy,
                                  MergeOperator mergeOperator) {
        return open(path, userStore, mode, checkpointId, options, clock, retryPolicy, mergeOperator, null, null,
                MetricRegistry.NOOP);
    }

    /**
     * Opens a reader as
     * {@link #open(String, ObjectStore, DbReaderMode, UUID, DbReaderOptions, Clock, RetryPolicy, MergeOperator)}
     * does, on {@code sharedThreads} and with {@code sharedCaches} when they are not null (the options'
     * cache budgets are then not used; the store's retries wait on the shared retry timer), publishing its
     * metrics to {@code registry}.
     */
    public static ReaderCore open(String path, ObjectStore userStore, DbReaderMode mode, UUID checkpointId,
                                  DbReaderOptions options, Clock clock, RetryPolicy retryPolicy,
                                  MergeOperator mergeOperator, SharedThreads sharedThreads,
                                  SstCaches sharedCaches, MetricRegistry registry) {
        Objects.requireNonNull(mode, "mode");
        if ((mode == DbReaderMode.CHECKPOINT) != (checkpointId != null)) {
            throw new SlateDbException(ErrorKind.INVALID, "a checkpoint id goes with mode CHECKPOINT and only with it");
        }
        if (mode == DbReaderMode.MANAGED_CHECKPOINT) {
            options.validateForManagedCheckpoint();
        }
        ReaderCore core = new ReaderCore(path, userStore, mode, options, clock, retryPolicy, mergeOperator,
                sharedThreads, sharedCaches, registry);
        try {
            core.start(checkpointId);
            return core;
        } catch (RuntimeException e) {
            core.abandon(e);
            throw e;
        }
    }

    /** Undoes a failed open: the checkpoint it may have created is deleted, the threads stopped. */
    private void abandon(RuntimeException cause) {
        try {
            if (checkpoint != null) {
                checkpoint.delete();
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            release();
        }
    }

    private void start(UUID checkpointId) {
        long[] copiedManifestId = {-1};
        Versioned<Manifest> initial = switch (mode) {
            case MANAGED_CHECKPOINT -> {
                stored = Futures.join(StoredObject.load(manifests, "manifest"));
                copiedManifestId[0] = stored.current().id();
                checkInitialized(stored.current());
                checkpoint = new OwnCheckpoint(stored, options.checkpointLifetime(), clock);
                yield checkpoint.replace();
            }
            case CHECKPOINT -> checkpointManifest(checkpointId);
            case FOLLOW_LATEST -> latest();
        };
        checkInitialized(initial);
        tables = new ReplayedTables(options.maxMemtableBytes(), initial.value().core().replayAfterWalId(),
                initial.value().core().lastL0Seq());
        publish(initial);
        // A managed checkpoint copies the latest manifest: errors name the one it was copied from.
        long source = mode == DbReaderMode.MANAGED_CHECKPOINT ? copiedManifestId[0] : initial.id();
        replayWal(new L0SeqCheck(initial.value().core().lastL0Seq()), tableStore.manifestPath(source));
        if (mode != DbReaderMode.CHECKPOINT) {
            poller = sharedThreads != null ? sharedThreads.io("slatedb-reader-" + path + "-poller", 1)
                    : Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("slatedb-reader-" + path + "-poller"));
            long nanos = options.manifestPollInterval().toNanos();
            poller.scheduleWithFixedDelay(this::scheduledPoll, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        State s = state;
        LOG.info("opened reader of {} ({}): manifest {}, {} replayed tables, sequence number {}", path, mode,
                Long.toUnsignedString(s.manifestId()), tables.tableCount(), Long.toUnsignedString(s.maxSeq()));
    }

    private Versioned<Manifest> checkpointManifest(UUID checkpointId) {
        Versioned<Manifest> latest = latest();
        Checkpoint pinned = Checkpoints.find(latest.value(), checkpointId).orElseThrow(() -> new SlateDbException(
                ErrorKind.DATA, "checkpoint " + checkpointId + " does not exist in " + path));
        return Futures.join(manifests.read(pinned.manifestId())).orElseThrow(() -> new SlateDbException(
                ErrorKind.DATA, "manifest " + Long.toUnsignedString(pinned.manifestId()) + " pinned by checkpoint "
                + checkpointId + " is missing"));
    }

    private Versioned<Manifest> latest() {
        return Futures.join(manifests.readLatest()).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                "no database at " + path + " in " + store.describe() + ": no manifest exists"));
    }

    private static void checkInitialized(Versioned<Manifest> manifest) {
        if (!manifest.value().core().initialized()) {
            throw new SlateDbException(ErrorKind.DATA, "the database is not initialized (an unfinished clone)");
        }
    }

    // ---------------------------------------------------------------- reads

    /** The visible row of {@code key} (a value), or null. */
    public CompletableFuture<RowEntry> get(byte[] key, ReadOptions readOptions) {
        try {
            checkOpen();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        metrics.get();
        return reads.get(key, readOptions);
    }

    /** The visible rows with keys in {@code range}, in key order. */
    public LsmScan scan(KeyRange range, ScanOptions scanOptions) {
        checkOpen();
        metrics.scan();
        return reads.scan(range, scanOptions);
    }

    /** Readers see durable, committed data only, so the durability options change nothing. */
    private ReadPoint readPoint(io.slatedb.DurabilityLevel durability, boolean dirty) {
        return state.readPoint();
    }

    /** Reads fixed at {@code at}, whatever the reader does afterwards (callers check that it is open). */
    public HandleReads readsAt(State at) {
        ReadPoint point = at.readPoint();
        return new HandleReads(lsmReader, (durability, dirty) -> point);
    }

    /**
     * @throws SlateDbException of kind CLOSED after close
     */
    public void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    // ---------------------------------------------------------------- following the database

    private void scheduledPoll() {
        try {
            poll();
        } catch (RuntimeException e) {
            // The next tick tries again; the state stays the last good one.
            LOG.warn("reader of {}: poll failed: {}", path, String.valueOf(e));
        }
    }

    /**
     * Runs one poll now on the poller thread and waits for it: what the poller does every
     * {@code manifest_poll_interval}. Failures are thrown (the scheduled polls log them).
     *
     * @throws SlateDbException of kind CLOSED after close; INVALID in CHECKPOINT mode, which never polls
     */
    public void pollNow() {
        checkOpen();
        if (poller == null) {
            throw new SlateDbException(ErrorKind.INVALID, "a reader of a fixed checkpoint does not poll");
        }
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(this::poll, poller);
        } catch (RejectedExecutionException e) {
            throw closedError();
        }
        Futures.join(done);
    }

    private void poll() {
        try {
            if (closed) {
                return;
            }
            try {
                if (mode == DbReaderMode.MANAGED_CHECKPOINT) {
                    pollManaged();
                } else {
                    pollLatest();
                }
                metrics.polled();
            } catch (RuntimeException e) {
                metrics.pollFailed();
                throw e;
            }
        } finally {
            CompletableFuture<Void> ended = pollEnded;
            pollEnded = new CompletableFuture<>();
            ended.complete(null);
        }
    }

    /**
     * Completes when the poll in progress, or else the next one, ends. Two in a row wait for a poll that
     * started after the call.
     */
    public CompletableFuture<Void> pollEnded() {
        return pollEnded;
    }

    private void pollManaged() {
        Versioned<Manifest> latest = Futures.join(stored.refresh());
        State current = state;
        if (!checkpoint.isIn(latest.value())) {
            LOG.warn("reader of {}: its checkpoint {} vanished; creating a new one", path, checkpoint.current().id());
            adopt(checkpoint.replace());
        } else if (needsRebuild(current.manifest(), latest.value())) {
            adopt(checkpoint.replace());
        }
        replayWal();
        try {
            checkpoint.refreshIfDue();
        } catch (SlateDbException e) {
            if (e.kind() != ErrorKind.DATA) {
                throw e;
            }
            LOG.warn("reader of {}: its checkpoint vanished while it was refreshed; creating a new one", path);
            adopt(checkpoint.replace());
            replayWal();
        }
    }

    private void pollLatest() {
        Versioned<Manifest> latest = latest();
        if (Long.compareUnsigned(latest.id(), state.manifestId()) > 0) {
            checkInitialized(latest);
            adopt(latest);
        }
        replayWal();
    }

    /**
     * Whether the reader must move to {@code latest}: its SSTs differ (a flush or a compaction), or L0
     * now holds rows past the reader's manifest.
     */
    static boolean needsRebuild(Manifest current, Manifest latest) {
        return !SstLayoutKey.of(current).equals(SstLayoutKey.of(latest))
                || Long.compareUnsigned(latest.core().lastL0Seq(), current.core().lastL0Seq()) > 0;
    }

    /** Moves to {@code manifest}: replayed rows its L0 covers are dropped, the rest stay. */
    private void adopt(Versioned<Manifest> manifest) {
        tables.prune(manifest.value().core().lastL0Seq(), manifest.value().core().replayAfterWalId());
        publish(manifest);
    }

    /**
     * Replays the WAL files after the last one replayed: up to the manifest's {@code next_wal_sst_id - 1}
     * for a fixed checkpoint, up to the newest existing file otherwise. A missing file ends the replay
     * (its rows are in L0 by now, and a newer manifest will show them).
     */
    private void replayWal() {
        replayWal(null, null);
    }

    /**
     * @param seqCheck     checks the manifest's L0 watermark against the replayed rows; null on polls
     * @param manifestPath the manifest the watermark comes from, named in its error
     */
    private void replayWal(L0SeqCheck seqCheck, String manifestPath) {
        if (options.skipWalReplay()) {
            return;
        }
        State current = state;
        long after = tables.lastWalId();
        long last = mode == DbReaderMode.CHECKPOINT ? current.manifest().core().nextWalSstId() - 1
                : Futures.join(WalTail.lastWalId(store, layout, after));
        if (Long.compareUnsigned(last, after) <= 0) {
            return;
        }
        WalReplay files = new WalReplay(store, layout, after + 1, last, WAL_PRELOAD);
        try {
            for (WalFile file = Futures.join(files.next()); file != null; file = Futures.join(files.next())) {
                if (seqCheck != null) {
                    seqCheck.saw(file);
                }
                tables.add(file);
            }
        } catch (WalTruncatedException e) {
            LOG.debug("reader of {}: WAL replay ends at missing file {}", path, e.path());
        }
        if (seqCheck != null) {
            seqCheck.check(manifestPath);
        }
        publish(new Versioned<>(current.manifestId(), current.manifest()));
    }

    private void publish(Versioned<Manifest> manifest) {
        Manifest m = manifest.value();
        ReadView view = ReadView.of(tables.newestFirst(), m.core().tree(), tableStore.paths(m.externalDbs()),
                tableStore.manifestPath(manifest.id())).withTreeLastSeq(m.core().lastL0Seq());
        state = new State(manifest.id(), m, view, tables.lastSeq(), tables.lastWalId());
    }

    // ---------------------------------------------------------------- state for tests and the handle

    /** The current state. */
    public State state() {
        return state;
    }

    /** The reader's own checkpoint, or null (other modes, or after close). */
    public Checkpoint ownCheckpoint() {
        return checkpoint == null ? null : checkpoint.current();
    }

    /** How many replayed tables hold rows. */
    public int replayedTableCount() {
        return tables.tableCount();
    }

    public DbReaderMode mode() {
        return mode;
    }

    public TableStore tableStore() {
        return tableStore;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Stops the poller (waiting for a poll in progress) and, in managed mode, deletes the reader's
     * checkpoint. Idempotent; later calls fail with kind CLOSED.
     *
     * @throws SlateDbException when deleting the checkpoint fails (it then expires on its own)
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (poller != null) {
                poller.shutdown();
                try {
                    if (!poller.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        poller.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    poller.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
            if (checkpoint != null) {
                checkpoint.delete();
            }
        } finally {
            release();
        }
        LOG.info("closed reader of {}", path);
    }

    private void release() {
        if (poller != null) {
            poller.shutdownNow();
        }
        stores.close();
        tableStore.close();
    }

    private SlateDbException closedError() {
        return SlateDbException.closed(CloseReason.CLEAN, "the reader of " + path + " is closed");
    }
}
