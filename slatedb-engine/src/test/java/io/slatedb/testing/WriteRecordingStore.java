package io.slatedb.testing;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Passes every call to another store and records its writes, in order, as {@code "put <path>"},
 * {@code "delete <path>"} and {@code "copy <from> <to>"}. A test can also wait for the next write to be
 * done or for the first delete of a path it is interested in, and run an action just before the next put.
 */
public final class WriteRecordingStore extends ForwardingObjectStore {
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<Void>> nextWrite = new AtomicReference<>(new CompletableFuture<>());
    private volatile Predicate<String> awaited = p -> false;
    private volatile CompletableFuture<String> deleted = new CompletableFuture<>();
    private volatile Consumer<String> beforeNextPut = p -> { };

    public WriteRecordingStore(ObjectStore inner) {
        super(inner, "recording");
    }

    /** The writes so far (since the last {@link #clearWrites}), in the order they were called. */
    public List<String> writes() {
        return List.copyOf(writes);
    }

    /** Forgets the writes recorded so far. */
    public void clearWrites() {
        writes.clear();
    }

    /** Completes when a write that ends after this call is done (stored or failed). */
    public CompletableFuture<Void> nextWrite() {
        return nextWrite.get();
    }

    /** A future completed with the path of the next deleted object that matches {@code which}. */
    public CompletableFuture<String> awaitDelete(Predicate<String> which) {
        deleted = new CompletableFuture<>();
        awaited = which;
        return deleted;
    }

    /** Runs {@code action} (once) with the path just before the next put passes to the inner store. */
    public void beforeNextPut(Consumer<String> action) {
        beforeNextPut = action;
    }

    private <T> CompletableFuture<T> watched(CompletableFuture<T> write) {
        return write.whenComplete((result, error) -> nextWrite.getAndSet(new CompletableFuture<>()).complete(null));
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Consumer<String> action = beforeNextPut;
        beforeNextPut = p -> { };
        action.accept(path);
        writes.add("put " + path);
        return watched(inner.put(path, data, options));
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        writes.add("delete " + path);
        return watched(inner.delete(path).thenApply(ok -> {
            if (awaited.test(path)) {
                deleted.complete(path);
            }
            return ok;
        }));
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        writes.add("copy " + fromPath + " " + toPath);
        return watched(inner.copy(fromPath, toPath));
    }
}
