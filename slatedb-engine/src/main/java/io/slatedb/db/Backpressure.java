package io.slatedb.db;

import io.slatedb.SlateDbException;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Holds writes back while the data not yet in object storage (memtables and WAL buffers) reaches
 * {@code max_unflushed_bytes}, instead of letting memory grow. Waiting writes are admitted in arrival
 * order, so one thread's writes keep their order; a write arriving while others wait queues behind
 * them. Whoever frees memory (a WAL file stored, an L0 SST published) calls {@link #release()}.
 * Thread-safe.
 */
final class Backpressure {
    private final long limitBytes;
    private final LongSupplier unflushedBytes;
    private static final CompletableFuture<Void> ADMITTED = CompletableFuture.completedFuture(null);

    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private SlateDbException failure;
    private long stalls;
    /**
     * Whether a write is waiting or the writer failed. Written under the lock, read without it: while
     * false, {@link #admit()} needs only the memory reading, so the write path takes no lock here.
     */
    private volatile boolean held;

    Backpressure(long limitBytes, LongSupplier unflushedBytes) {
        this.limitBytes = limitBytes;
        this.unflushedBytes = unflushedBytes;
    }

    /** Completes when a write may go ahead: at once while under the limit and nobody waits. */
    CompletableFuture<Void> admit() {
        if (!held && unflushedBytes.getAsLong() < limitBytes) {
            return ADMITTED;
        }
        return admitOrQueue();
    }

    private synchronized CompletableFuture<Void> admitOrQueue() {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (waiting.isEmpty() && unflushedBytes.getAsLong() < limitBytes) {
            return ADMITTED;
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waiting.addLast(turn);
        held = true;
        stalls++;
        return turn;
    }

    /** Admits waiting writes, oldest first, while memory is under the limit. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                if (waiting.isEmpty() || unflushedBytes.getAsLong() >= limitBytes) {
                    return;
                }
                next = waiting.removeFirst();
                held = !waiting.isEmpty() || failure != null;
            }
            // Completed outside the lock: the write it admits runs in this call.
            next.complete(null);
        }
    }

    /** Fails every waiting and later write with {@code reason}. */
    void fail(SlateDbException reason) {
        ArrayDeque<CompletableFuture<Void>> toFail;
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
            held = true;
            toFail = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        toFail.forEach(w -> w.completeExceptionally(reason));
    }

    /** How many writes had to wait so far. */
    synchronized long stalls() {
        return stalls;
    }

    /** How many writes wait now. */
    synchronized int waitingCount() {
        return waiting.size();
    }
}
