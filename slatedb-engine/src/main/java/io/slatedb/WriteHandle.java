package io.slatedb;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What a write returns once it is applied in memory: the sequence number and creation time every
 * row of the write got, and a way to learn when it is durable. Immutable; created by the database.
 */
public final class WriteHandle {
    private final long seq;
    private final long createTs;
    private final Supplier<CompletableFuture<Void>> durable;

    /**
     * @param seq      the write's sequence number (unsigned 64-bit)
     * @param createTs the write's creation time, in milliseconds since the epoch
     * @param durable  completes normally when the write is durable in object storage, or
     *                 exceptionally with the error that closed the database before it was
     */
    public WriteHandle(long seq, long createTs, CompletableFuture<Void> durable) {
        this(seq, createTs, copies(Objects.requireNonNull(durable, "durable")));
    }

    /**
     * A handle that asks {@code durability} for a new future on each {@link #durable()} call, so a
     * write nobody waits for costs no waiter.
     */
    public WriteHandle(long seq, long createTs, Supplier<CompletableFuture<Void>> durability) {
        this.seq = seq;
        this.createTs = createTs;
        this.durable = Objects.requireNonNull(durability, "durability");
    }

    private static Supplier<CompletableFuture<Void>> copies(CompletableFuture<Void> future) {
        return future::copy;
    }

    /**
     * The sequence number of the write, an unsigned 64-bit integer held in a long (compare with
     * {@link Long#compareUnsigned}). Every row of one write batch has it.
     */
    public long seq() {
        return seq;
    }

    /** The write's creation time in milliseconds since the epoch, shared by all its rows. */
    public long createTs() {
        return createTs;
    }

    /**
     * Completes when the write is durable in object storage, or fails with the
     * {@link SlateDbException} (kind {@link ErrorKind#CLOSED}, or what made the database fail) that
     * ended the database first. Each call returns a new future, so completing or cancelling it has
     * no effect on the write or on other callers.
     */
    public CompletableFuture<Void> durable() {
        return durable.get();
    }

    @Override
    public String toString() {
        CompletableFuture<Void> now = durable.get();
        return "WriteHandle[seq=" + Long.toUnsignedString(seq) + ", createTs=" + createTs
                + ", durable=" + (now.isDone() ? (now.isCompletedExceptionally() ? "failed" : "yes") : "pending")
                + "]";
    }
}
