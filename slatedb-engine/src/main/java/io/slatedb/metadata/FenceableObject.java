package io.slatedb.metadata;

import io.slatedb.CloseReason;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.util.Futures;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A sequenced metadata object guarded by an epoch field (the manifest's writer or compactor epoch, the
 * compactor state's epoch). Claiming the object bumps the epoch; from then on every read and write
 * checks it: a stored epoch above ours means a newer process has fenced us out
 * ({@link ErrorKind#CLOSED}/{@link CloseReason#FENCED}); one below ours means the protocol was broken
 * ({@link ErrorKind#INTERNAL}).
 */
public final class FenceableObject<T> {

    /** Reads and replaces the epoch in a metadata value. */
    public interface EpochField<T> {
        long epoch(T value);

        T withEpoch(T value, long epoch);
    }

    private final StoredObject<T> object;
    private final EpochField<T> field;
    private final long epoch;
    private final String name;

    private FenceableObject(StoredObject<T> object, EpochField<T> field, long epoch, String name) {
        this.object = object;
        this.field = field;
        this.epoch = epoch;
        this.name = name;
    }

    /**
     * Claims the object with the stored epoch + 1, retrying on conflicts until {@code timeout} passes.
     *
     * @param name the epoch's name for messages, e.g. "writer"
     */
    public static <T> CompletableFuture<FenceableObject<T>> claim(StoredObject<T> object, EpochField<T> field,
                                                                 String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return claimLoop(object, field, name, timeout, deadline);
    }

    private static <T> CompletableFuture<FenceableObject<T>> claimLoop(StoredObject<T> object, EpochField<T> field,
                                                                      String name, Duration timeout, long deadline) {
        T stored = object.current().value();
        long next = field.epoch(stored) + 1;
        return object.update(field.withEpoch(stored, next))
                .thenApply(unused -> new FenceableObject<>(object, field, next, name))
                .exceptionallyCompose(failure -> retryOnConflict(failure, object, timeout, deadline,
                        () -> claimLoop(object, field, name, timeout, deadline)));
    }

    /**
     * Claims the object at exactly {@code epoch} (a compactor taking the epoch it already claimed on the
     * manifest). Fails as fenced when the stored epoch is already at or above it.
     */
    public static <T> CompletableFuture<FenceableObject<T>> claimAt(StoredObject<T> object, EpochField<T> field,
                                                                   String name, long epoch, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return claimAtLoop(object, field, name, epoch, timeout, deadline);
    }

    private static <T> CompletableFuture<FenceableObject<T>> claimAtLoop(StoredObject<T> object, EpochField<T> field,
                                                                        String name, long epoch, Duration timeout,
                                                                        long deadline) {
        T stored = object.current().value();
        if (Long.compareUnsigned(field.epoch(stored), epoch) >= 0) {
            return CompletableFuture.failedFuture(fenced(name, field.epoch(stored), epoch));
        }
        return object.update(field.withEpoch(stored, epoch))
                .thenApply(unused -> new FenceableObject<>(object, field, epoch, name))
                .exceptionallyCompose(failure -> retryOnConflict(failure, object, timeout, deadline,
                        () -> claimAtLoop(object, field, name, epoch, timeout, deadline)));
    }

    private static <T, R> CompletableFuture<R> retryOnConflict(Throwable failure, StoredObject<T> object,
                                                               Duration timeout, long deadline,
                                                               java.util.function.Supplier<CompletableFuture<R>> retry) {
        Throwable cause = Futures.unwrap(failure);
        if (!(cause instanceof ObjectVersionExistsException)) {
            return CompletableFuture.failedFuture(cause);
        }
        if (System.nanoTime() - deadline > 0) {
            return CompletableFuture.failedFuture(new SlateDbException(ErrorKind.UNAVAILABLE,
                    "timed out after " + timeout + " claiming " + object.store().path(object.current().id() + 1)
                            + " against concurrent updates", cause));
        }
        return object.refresh().thenCompose(unused -> retry.get());
    }

    /** The epoch this process holds. */
    public long epoch() {
        return epoch;
    }

    /** The latest version this process has seen, after checking it is still ours. */
    public Versioned<T> current() {
        Versioned<T> current = object.current();
        check(current.value());
        return current;
    }

    /** Commits {@code value} (its epoch set to ours) as the next version. */
    public CompletableFuture<Versioned<T>> update(T value) {
        try {
            check(object.current().value());
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        return object.update(field.withEpoch(value, epoch));
    }

    /** Re-reads the latest version and checks it is still ours. */
    public CompletableFuture<Versioned<T>> refresh() {
        return object.refresh().thenApply(latest -> {
            check(latest.value());
            return latest;
        });
    }

    /** {@link StoredObject#maybeApplyUpdate} with the epoch checked before every attempt. */
    public CompletableFuture<Versioned<T>> maybeApplyUpdate(Function<Versioned<T>, Optional<T>> mutator) {
        return object.maybeApplyUpdate(latest -> {
            check(latest.value());
            return mutator.apply(latest).map(value -> field.withEpoch(value, epoch));
        });
    }

    private void check(T value) {
        long stored = field.epoch(value);
        int cmp = Long.compareUnsigned(stored, epoch);
        if (cmp > 0) {
            throw fenced(name, stored, epoch);
        }
        if (cmp < 0) {
            throw new SlateDbException(ErrorKind.INTERNAL, "stored " + name + " epoch " + Long.toUnsignedString(stored)
                    + " is below the epoch " + Long.toUnsignedString(epoch) + " this process claimed");
        }
    }

    private static SlateDbException fenced(String name, long stored, long ours) {
        return SlateDbException.closed(CloseReason.FENCED, "fenced: a newer " + name + " holds epoch "
                + Long.toUnsignedString(stored) + " (ours: " + Long.toUnsignedString(ours) + ")");
    }
}
