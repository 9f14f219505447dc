package io.slatedb.metadata;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.util.Futures;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One process's view of a sequenced metadata object: the version it last read or wrote, and the
 * compare-and-swap update that commits the next version on top of it. An update that loses to another
 * writer fails with {@link ObjectVersionExistsException}; {@link #maybeApplyUpdate} re-reads and
 * re-applies its change until it wins.
 */
public final class StoredObject<T> {
    private final SequencedObjectStore<T> store;
    private volatile Versioned<T> current;

    private StoredObject(SequencedObjectStore<T> store, Versioned<T> current) {
        this.store = store;
        this.current = current;
    }

    /**
     * Loads the latest version; fails with an {@link ErrorKind#DATA} error when none exists.
     *
     * @param what what the object is, for the error message (e.g. "manifest")
     */
    public static <T> CompletableFuture<StoredObject<T>> load(SequencedObjectStore<T> store, String what) {
        return store.readLatest().thenApply(latest -> new StoredObject<>(store, latest.orElseThrow(
                () -> new SlateDbException(ErrorKind.DATA, "no " + what + " exists at " + store.path(1)
                        .substring(0, store.path(1).lastIndexOf('/'))))));
    }

    /** Loads the latest version, or creates version 1 from {@code initial} when there is none. */
    public static <T> CompletableFuture<StoredObject<T>> loadOrCreate(SequencedObjectStore<T> store, T initial) {
        return store.readLatest().thenCompose(latest -> {
            if (latest.isPresent()) {
                return CompletableFuture.completedFuture(new StoredObject<>(store, latest.get()));
            }
            return store.create(1, initial)
                    .thenApply(created -> new StoredObject<>(store, created))
                    .exceptionallyCompose(failure -> {
                        if (Futures.unwrap(failure) instanceof ObjectVersionExistsException) {
                            return loadOrCreate(store, initial); // another process created it first
                        }
                        return CompletableFuture.failedFuture(Futures.unwrap(failure));
                    });
        });
    }

    /** The version this view holds. */
    public Versioned<T> current() {
        return current;
    }

    /** The sequence this object is stored in. */
    public SequencedObjectStore<T> store() {
        return store;
    }

    /** Commits {@code value} as the version after {@link #current()}. */
    public CompletableFuture<Versioned<T>> update(T value) {
        Objects.requireNonNull(value, "value");
        Versioned<T> base = current;
        return store.create(base.id() + 1, value).thenApply(written -> {
            advanceTo(written);
            return written;
        });
    }

    /** Re-reads the latest version. */
    public CompletableFuture<Versioned<T>> refresh() {
        return store.readLatest().thenApply(latest -> {
            Versioned<T> found = latest.orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                    "the object at " + store.path(current.id()) + " and all its successors have vanished"));
            advanceTo(found);
            return current;
        });
    }

    /**
     * Applies {@code mutator} to the latest version and commits the result, re-reading and re-applying
     * after every lost race. The mutator returns empty when there is nothing (left) to change; the
     * result is then the version it looked at.
     */
    public CompletableFuture<Versioned<T>> maybeApplyUpdate(Function<Versioned<T>, Optional<T>> mutator) {
        Versioned<T> base = current;
        Optional<T> next;
        try {
            next = mutator.apply(base);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (next.isEmpty()) {
            return CompletableFuture.completedFuture(base);
        }
        return update(next.get()).exceptionallyCompose(failure -> {
            if (Futures.unwrap(failure) instanceof ObjectVersionExistsException) {
                return refresh().thenCompose(unused -> maybeApplyUpdate(mutator));
            }
            return CompletableFuture.failedFuture(Futures.unwrap(failure));
        });
    }

    private synchronized void advanceTo(Versioned<T> version) {
        if (Long.compareUnsigned(version.id(), current.id()) >= 0) {
            current = version;
        }
    }
}
