package io.slatedb.db;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.format.UlidGenerator;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.SstView;
import io.slatedb.memtable.ImmutableMemtable;
import io.slatedb.sst.EncodedSst;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.sst.ValueKind;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalWriter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Writes frozen memtables to L0 and lists them in the manifest. Uploads run in parallel (at most
 * {@code l0_flush_parallelism}) and each SST gets its ULID when its upload starts, in freeze order;
 * publishing is strictly in freeze order and only once the memtable's rows are durable in the WAL,
 * so everything in the tree is also in the WAL. Consecutive ready memtables are published in one
 * manifest update. While the tree's L0 count plus the uploads not yet published reaches
 * {@code l0_max_ssts}, no new upload starts (the compactor has to catch up first); memory then fills
 * and the writers' backpressure takes over.
 */
final class L0Flusher {

    /** What the flusher reports as it works. */
    interface Listener {
        /** An SST of {@code bytes} bytes with {@code rows} rows was written to L0 and published. */
        void l0Published(long bytes, long rows);

        /** Flushing failed: the writer cannot go on. */
        void flushFailed(Throwable failure);
    }

    private final class Task {
        final ImmutableMemtable memtable;
        final CompletableFuture<Void> published = new CompletableFuture<>();
        CompletableFuture<ManifestKeeper.FlushedMemtable> upload;
        long bytes;
        boolean publishing;

        Task(ImmutableMemtable memtable) {
            this.memtable = memtable;
        }
    }

    private final ObjectStore store;
    private final DbLayout layout;
    private final SstWriterOptions sstOptions;
    private final UlidGenerator ulids;
    private final Executor executor;
    private final WalWriter wal;
    private final ManifestKeeper keeper;
    private final DbState state;
    private final int parallelism;
    private final int l0MaxSsts;
    private final int l0MaxSstsPerKey;
    private final Listener listener;

    // Guarded by this. Tasks in freeze order, oldest first, until published.
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    private int uploading;
    private int started;
    private Throwable failure;

    L0Flusher(ObjectStore store, DbLayout layout, SstWriterOptions sstOptions, UlidGenerator ulids, Executor executor,
              WalWriter wal, ManifestKeeper keeper, DbState state, int parallelism, int l0MaxSsts, int l0MaxSstsPerKey,
              Listener listener) {
        this.store = store;
        this.layout = layout;
        this.sstOptions = sstOptions;
        this.ulids = ulids;
        this.executor = executor;
        this.wal = wal;
        this.keeper = keeper;
        this.state = state;
        this.parallelism = parallelism;
        this.l0MaxSsts = l0MaxSsts;
        this.l0MaxSstsPerKey = l0MaxSstsPerKey;
        this.listener = listener;
    }

    /** Takes a frozen memtable; memtables must arrive in freeze order. */
    void enqueue(ImmutableMemtable memtable) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            tasks.addLast(new Task(memtable));
        }
        pump();
    }

    /** Completes when every memtable enqueued so far is listed in the manifest. */
    synchronized CompletableFuture<Void> awaitPublished() {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Task last = tasks.peekLast();
        return last == null ? CompletableFuture.completedFuture(null) : last.published;
    }

    /** Starts uploads the limits allow, now that something changed (an upload or publish finished, L0 shrank). */
    void pump() {
        List<Task> toStart = new ArrayList<>();
        synchronized (this) {
            if (failure != null) {
                return;
            }
            List<SstView> l0 = state.manifest().core().l0();
            List<L0Overlap.Range> ranges = new ArrayList<>();
            for (SstView view : l0) {
                if (view.sst().info().firstEntry() != null) {
                    ranges.add(new L0Overlap.Range(view.sst().info().firstEntry(), view.sst().info().lastEntry()));
                }
            }
            for (Task task : tasks) {
                if (task.upload != null && !task.published.isDone()) {
                    ranges.add(rangeOf(task.memtable));
                }
            }
            for (Task task : tasks) {
                if (task.upload != null) {
                    continue;
                }
                if (uploading >= parallelism || l0.size() + started >= l0MaxSsts) {
                    break;
                }
                ranges.add(rangeOf(task.memtable));
                if (L0Overlap.peak(ranges) > l0MaxSstsPerKey) {
                    break; // reads of some key would have to look at too many L0 SSTs
                }
                uploading++;
                started++;
                // Minted here, in freeze order, so L0 ids sort by the data's age.
                Ulid id = ulids.next();
                task.upload = new CompletableFuture<>();
                toStart.add(task);
                startUpload(task, id);
            }
        }
        for (Task task : toStart) {
            task.upload.whenComplete((flushed, error) -> uploaded(error));
        }
    }

    private static L0Overlap.Range rangeOf(ImmutableMemtable memtable) {
        return new L0Overlap.Range(memtable.firstKey(), memtable.lastKey());
    }

    /** Stops: pending and later flushes fail with {@code reason}. */
    void fail(Throwable reason) {
        List<Task> pending;
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
            pending = new ArrayList<>(tasks);
            tasks.clear();
        }
        pending.forEach(t -> t.published.completeExceptionally(reason));
    }

    private void startUpload(Task task, Ulid id) {
        CompletableFuture.supplyAsync(() -> build(task.memtable, id), executor)
                .thenCompose(built -> store.put(layout.compactedSstPath(id), built.sst().bytes(), PutOptions.OVERWRITE)
                        .thenCompose(put -> wal.awaitDurable(task.memtable.lastSeq()))
                        .thenApply(durable -> {
                            task.bytes = built.sst().bytes().length;
                            CompactedSst sst = new CompactedSst(id, built.sst().info(), built.sst().formatVersion());
                            return new ManifestKeeper.FlushedMemtable(task.memtable, SstView.of(sst), built.maxCreateTs());
                        }))
                .whenComplete((flushed, error) -> {
                    if (error != null) {
                        task.upload.completeExceptionally(Futures.unwrap(error));
                    } else {
                        task.upload.complete(flushed);
                    }
                });
    }

    private record Built(EncodedSst sst, long maxCreateTs) {
    }

    /**
     * Encodes the memtable's rows as an L0 SST. As in SlateDB, a row that has expired by the memtable's
     * last clock tick (its newest create_ts) is written as a tombstone (keeping its seq and create_ts, no
     * expire_ts): reads stop returning it from then on, and it cannot revive an older version below it.
     */
    private Built build(ImmutableMemtable memtable, Ulid id) {
        // Sized by the memtable's estimate (which errs high), so the SST's buffer is not regrown as it fills.
        SstBuilder builder = SstBuilder.compacted(sstOptions, memtable.estimatedSstSize());
        long maxCreateTs = memtable.maxCreateTs();
        // Streamed: the rows are encoded one by one, never all held as objects at once.
        RowIterator rows = memtable.scan(KeyRange.all(), -1L);
        for (RowEntry row = rows.next().join(); row != null; row = rows.next().join()) {
            builder.add(expiredAsTombstone(row, maxCreateTs));
        }
        if (builder.rowCount() == 0) {
            throw new SlateDbException(ErrorKind.INTERNAL, "an empty memtable was frozen for L0 SST " + id);
        }
        return new Built(builder.build(), maxCreateTs);
    }

    /**
     * {@code row}, or a tombstone in its place when it has expired by {@code now}. An expired merge
     * operand is kept as it is: a tombstone would hide the older versions the other operands apply to,
     * and compaction drops it.
     */
    static RowEntry expiredAsTombstone(RowEntry row, long now) {
        return row.kind() == ValueKind.MERGE_OPERAND ? row : row.expiredAsTombstone(now);
    }

    private void uploaded(Throwable error) {
        synchronized (this) {
            uploading--;
        }
        if (error != null) {
            failed(error);
            return;
        }
        publishReady();
        pump();
    }

    /**
     * Publishes the oldest tasks whose uploads are done, in one manifest update. Two uploads finishing
     * together must not submit their publishes out of order: a newer memtable listed before an older one
     * would put the older SST first in L0 and move last_l0_seq backwards.
     */
    private void publishReady() {
        List<Task> batch = new ArrayList<>();
        CompletableFuture<io.slatedb.manifest.Manifest> publish;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            for (Task task : tasks) {
                if (task.publishing) {
                    continue;
                }
                if (task.upload == null || !task.upload.isDone()) {
                    break;
                }
                task.publishing = true;
                batch.add(task);
            }
            if (batch.isEmpty()) {
                return;
            }
            // Submitted under the lock that picked the batch, so batches reach the manifest in freeze order.
            List<ManifestKeeper.FlushedMemtable> flushed = batch.stream().map(t -> t.upload.join()).toList();
            publish = keeper.publish(flushed, wal.manifestNextWalId());
        }
        publish.whenComplete((manifest, error) -> {
            if (error != null) {
                failed(Futures.unwrap(error));
                return;
            }
            synchronized (this) {
                Iterator<Task> it = tasks.iterator();
                while (it.hasNext()) {
                    if (batch.contains(it.next())) {
                        it.remove();
                    }
                }
                started -= batch.size();
            }
            for (Task task : batch) {
                listener.l0Published(task.bytes, task.memtable.rowCount());
                task.published.complete(null);
            }
            pump();
        });
    }

    private void failed(Throwable error) {
        // The writer hears of it first, so a flush caller woken by the failure finds the writer failed.
        listener.flushFailed(error);
        fail(error);
    }

    /** Runs {@code action} for each memtable waiting for or in a flush (for gauges and tests). */
    synchronized void forEachPending(Consumer<ImmutableMemtable> action) {
        tasks.forEach(t -> action.accept(t.memtable));
    }
}
