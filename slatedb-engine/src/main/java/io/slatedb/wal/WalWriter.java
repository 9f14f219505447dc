package io.slatedb.wal;

import io.slatedb.CloseReason;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectAlreadyExistsException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Buffers appended write batches and writes them as WAL files, strictly in id order, one file per
 * frozen buffer. The buffer is frozen every {@code flushInterval}, when it reaches the size threshold,
 * or on {@link #flush()}; empty buffers are never written. A write is durable once the file holding it
 * is stored; {@link #awaitDurable(long)} waits for that.
 *
 * <p>Every file is written create-if-absent: finding an id taken means a newer writer has fenced this
 * one, and the writer fails as {@link CloseReason#FENCED}. Any other write failure (after the object
 * store's own retries) is fatal too: the writer never skips an id. Failures are sticky; later appends,
 * flushes and waits fail with the first one.
 */
public final class WalWriter implements AutoCloseable {

    /** Told about each WAL file as it becomes durable. */
    public interface Listener {
        void walFileWritten(long walId, long lastSeq, long encodedBytes);

        /** Called once, with the failure that stopped the writer (fenced, a store failure, close). */
        default void walWriterFailed(SlateDbException failure) {
        }

        Listener NONE = (walId, lastSeq, encodedBytes) -> { };
    }

    private final ObjectStore store;
    private final DbLayout layout;
    private final SstWriterOptions sstOptions;
    private final long flushThresholdBytes;
    private final Executor uploadExecutor;
    private final Listener listener;
    private final ScheduledFuture<?> ticker;

    private final Object lock = new Object();
    // Guarded by lock.
    private List<RowEntry> buffer = new ArrayList<>();
    private long bufferBytes;
    private long nextWalId;
    private long lastAppendedSeq;
    // Changed under the lock; volatile so the backpressure check on every write reads it without the lock.
    private volatile long unflushedBytes;
    private CompletableFuture<Void> uploads = CompletableFuture.completedFuture(null);
    private SlateDbException failure;
    private boolean closed;
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>(Long::compareUnsigned);

    private volatile long durableSeq;
    private volatile long lastWrittenWalId;

    /**
     * @param firstWalId          the id of the first file to write (the fence's id + 1)
     * @param durableSeq          the highest sequence number already durable (from recovery)
     * @param flushThresholdBytes freeze the buffer once its estimated size reaches this
     * @param flushInterval       freeze the buffer this often; null for explicit flushes only
     * @param scheduler           runs the interval flushes
     * @param uploadExecutor      builds and writes WAL files; completion callbacks run there too
     */
    public WalWriter(ObjectStore store, DbLayout layout, SstWriterOptions sstOptions, long firstWalId, long durableSeq,
                     long flushThresholdBytes, Duration flushInterval, ScheduledExecutorService scheduler,
                     Executor uploadExecutor, Listener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.sstOptions = Objects.requireNonNull(sstOptions, "sstOptions");
        this.uploadExecutor = Objects.requireNonNull(uploadExecutor, "uploadExecutor");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (flushThresholdBytes <= 0) {
            throw new IllegalArgumentException("flush threshold must be positive: " + flushThresholdBytes);
        }
        this.flushThresholdBytes = flushThresholdBytes;
        this.nextWalId = firstWalId;
        this.lastWrittenWalId = firstWalId - 1;
        this.durableSeq = durableSeq;
        this.lastAppendedSeq = durableSeq;
        if (flushInterval != null) {
            long nanos = flushInterval.toNanos();
            this.ticker = scheduler.scheduleWithFixedDelay(this::flushQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        } else {
            this.ticker = null;
        }
    }

    /**
     * Appends one write batch's rows: one sequence number, above every earlier one, keys strictly
     * ascending (the order a WAL SST stores them in). The batch always lands in a single WAL file.
     */
    public void append(List<RowEntry> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long seq = rows.get(0).seq();
        for (int i = 0; i < rows.size(); i++) {
            RowEntry row = rows.get(i);
            if (row.seq() != seq || (i > 0 && Arrays.compareUnsigned(rows.get(i - 1).key(), row.key()) >= 0)) {
                throw new SlateDbException(ErrorKind.INTERNAL, "a WAL batch must have one sequence number and"
                        + " strictly ascending keys; row " + i + " is " + row);
            }
        }
        synchronized (lock) {
            checkUsable();
            if (Long.compareUnsigned(seq, lastAppendedSeq) <= 0) {
                throw new SlateDbException(ErrorKind.INTERNAL, "WAL append out of order: seq "
                        + Long.toUnsignedString(seq) + " after " + Long.toUnsignedString(lastAppendedSeq));
            }
            long bytes = 0;
            for (RowEntry row : rows) {
                bytes += estimatedSize(row);
            }
            buffer.addAll(rows);
            bufferBytes += bytes;
            unflushedBytes += bytes;
            lastAppendedSeq = rows.get(rows.size() - 1).seq();
            if (bufferBytes >= flushThresholdBytes) {
                freezeLocked();
            }
        }
    }

    /**
     * Freezes the buffer and returns a future that completes when everything appended before the call
     * is durable (at once when there is nothing to write).
     */
    public CompletableFuture<Void> flush() {
        synchronized (lock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return freezeLocked();
        }
    }

    /** Completes when the write with sequence number {@code seq} is durable, or fails with the writer's failure. */
    public CompletableFuture<Void> awaitDurable(long seq) {
        if (Long.compareUnsigned(seq, durableSeq) <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        synchronized (lock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (Long.compareUnsigned(seq, durableSeq) <= 0) {
                return CompletableFuture.completedFuture(null);
            }
            waiters.computeIfAbsent(seq, s -> new ArrayList<>()).add(waiter);
        }
        return waiter;
    }

    /** The highest sequence number durable in the WAL. */
    public long durableSeq() {
        return durableSeq;
    }

    /** The id of the last WAL file written (the fence's id before any). */
    public long lastWrittenWalId() {
        return lastWrittenWalId;
    }

    /**
     * The {@code next_wal_sst_id} a manifest may record now: one past the last WAL file stored, so every
     * id below it names a file that exists (readers treat a missing one as garbage-collected). Files cut
     * but still uploading are not counted.
     */
    public long manifestNextWalId() {
        return lastWrittenWalId() + 1;
    }

    /** The id the next frozen buffer will get. */
    public long nextWalId() {
        synchronized (lock) {
            return nextWalId;
        }
    }

    /** Estimated bytes appended but not yet durable. */
    public long unflushedBytes() {
        return unflushedBytes;
    }

    /** The failure that stopped this writer, or null. */
    public SlateDbException failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /**
     * Stops the writer with {@code reason}: pending and later appends, flushes and waits fail with it.
     * Files already being written still complete. The first failure wins.
     */
    public void fail(SlateDbException reason) {
        List<CompletableFuture<Void>> toFail = new ArrayList<>();
        boolean first;
        synchronized (lock) {
            first = failure == null;
            if (first) {
                failure = reason;
            }
            waiters.values().forEach(toFail::addAll);
            waiters.clear();
        }
        SlateDbException cause = failure();
        toFail.forEach(w -> w.completeExceptionally(cause));
        cancelTicker();
        if (first) {
            listener.walWriterFailed(cause);
        }
    }

    /** Flushes what is buffered and stops the interval flushes; later appends fail as closed. */
    public CompletableFuture<Void> closeAsync() {
        cancelTicker();
        synchronized (lock) {
            if (closed) {
                return uploads;
            }
            closed = true;
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return freezeLocked();
        }
    }

    @Override
    public void close() {
        Futures.join(closeAsync());
    }

    private void cancelTicker() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private void flushQuietly() {
        // A failed flush has already failed the writer; the owner learns of it through its next call.
        flush();
    }

    private void checkUsable() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw SlateDbException.closed(CloseReason.CLEAN, "the WAL writer is closed");
        }
    }

    private CompletableFuture<Void> freezeLocked() {
        if (buffer.isEmpty()) {
            return uploads;
        }
        List<RowEntry> rows = buffer;
        long bytes = bufferBytes;
        long id = nextWalId++;
        buffer = new ArrayList<>();
        bufferBytes = 0;
        uploads = uploads.thenComposeAsync(unused -> upload(id, rows, bytes), uploadExecutor);
        return uploads;
    }

    private CompletableFuture<Void> upload(long id, List<RowEntry> rows, long bytes) {
        String path = layout.walSstPath(id);
        long lastSeq = rows.get(rows.size() - 1).seq();
        byte[] encoded;
        try {
            // The buffer's estimate (key, value and 32 bytes a row), with some slack, covers the encoded
            // rows, the block framing and the index, so the file's buffer is allocated once.
            encoded = WalObjects.encode(rows, sstOptions, bytes + bytes / 16 + 4096);
        } catch (RuntimeException e) {
            SlateDbException error = new SlateDbException(ErrorKind.INTERNAL, "encoding WAL file " + path + " failed", e);
            fail(error);
            return CompletableFuture.failedFuture(error);
        }
        return store.put(path, encoded, PutOptions.CREATE).handle((ok, err) -> {
            if (err != null) {
                Throwable cause = Futures.unwrap(err);
                SlateDbException error = cause instanceof ObjectAlreadyExistsException
                        ? SlateDbException.closed(CloseReason.FENCED, "fenced: WAL file " + path
                        + " was written by a newer writer")
                        : new SlateDbException(ErrorKind.UNAVAILABLE, "writing WAL file " + path + " failed: "
                        + cause.getMessage(), cause);
                fail(error);
                throw error;
            }
            written(id, lastSeq, bytes, encoded.length);
            return null;
        });
    }

    private void written(long id, long lastSeq, long bufferedBytes, long encodedBytes) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (lock) {
            lastWrittenWalId = id;
            durableSeq = lastSeq;
            unflushedBytes -= bufferedBytes;
            Map<Long, List<CompletableFuture<Void>>> done = waiters.headMap(lastSeq, true);
            done.values().forEach(ready::addAll);
            done.clear();
        }
        ready.forEach(w -> w.complete(null));
        listener.walFileWritten(id, lastSeq, encodedBytes);
    }

    /** The size a row adds to a WAL file, roughly: key, value and per-row overhead. */
    static long estimatedSize(RowEntry row) {
        return row.key().length + (long) row.valueLength() + 32;
    }
}
