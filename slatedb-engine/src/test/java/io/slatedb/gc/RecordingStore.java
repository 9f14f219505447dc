package io.slatedb.gc;

import io.slatedb.testing.ForwardingObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A store that passes every call to another and records the puts and deletes, in order, as
 * {@code "put <path>"} and {@code "delete <path>"}; a test can also wait for the first delete of a
 * path it is interested in.
 */
final class RecordingStore extends ForwardingObjectStore {
    private final List<String> log = new ArrayList<>();
    private volatile Predicate<String> awaited = p -> false;
    private volatile CompletableFuture<String> deleted = new CompletableFuture<>();
    private volatile java.util.function.Consumer<String> beforeNextPut = p -> { };

    RecordingStore(ObjectStore inner) {
        super(inner, "recording");
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    synchronized void clearLog() {
        log.clear();
    }

    /** A future completed with the path of the next deleted object that matches {@code which}. */
    CompletableFuture<String> awaitDelete(Predicate<String> which) {
        deleted = new CompletableFuture<>();
        awaited = which;
        return deleted;
    }

    private synchronized void record(String entry) {
        log.add(entry);
    }

    /** Runs {@code action} (once) just before the next put passes to the inner store. */
    void beforeNextPut(java.util.function.Consumer<String> action) {
        beforeNextPut = action;
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        java.util.function.Consumer<String> action = beforeNextPut;
        beforeNextPut = p -> { };
        action.accept(path);
        record("put " + path);
        return inner.put(path, data, options);
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        record("delete " + path);
        return inner.delete(path).thenApply(ok -> {
            if (awaited.test(path)) {
                deleted.complete(path);
            }
            return ok;
        });
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        record("put " + toPath);
        return inner.copy(fromPath, toPath);
    }

    /** Unlike other test wrappers, this one closes its inner store. */
    @Override
    public void close() {
        inner.close();
    }
}
