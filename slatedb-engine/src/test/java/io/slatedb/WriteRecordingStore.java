package io.slatedb;

import io.slatedb.testing.ForwardingObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Passes every call to another store and records its writes ({@code "put <path>"}, {@code "delete <path>"},
 * copies); a test can also wait for the next write to be done, to re-check what background work did.
 */
final class WriteRecordingStore extends ForwardingObjectStore {
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<Void>> nextWrite = new AtomicReference<>(new CompletableFuture<>());

    WriteRecordingStore(ObjectStore inner) {
        super(inner, "recording");
    }

    List<String> writes() {
        return List.copyOf(writes);
    }

    /** Completes when a write that ends after this call is done (stored or failed). */
    CompletableFuture<Void> nextWrite() {
        return nextWrite.get();
    }

    private <T> CompletableFuture<T> watched(CompletableFuture<T> write) {
        return write.whenComplete((result, error) -> nextWrite.getAndSet(new CompletableFuture<>()).complete(null));
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        writes.add("put " + path);
        return watched(inner.put(path, data, options));
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        writes.add("delete " + path);
        return watched(inner.delete(path));
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        writes.add("copy " + fromPath + " " + toPath);
        return watched(inner.copy(fromPath, toPath));
    }
}
