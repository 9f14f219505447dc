package io.slatedb.gc;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
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
final class RecordingStore implements ObjectStore {
    private final ObjectStore inner;
    private final List<String> log = new ArrayList<>();
    private volatile Predicate<String> awaited = p -> false;
    private volatile CompletableFuture<String> deleted = new CompletableFuture<>();
    private volatile java.util.function.Consumer<String> beforeNextPut = p -> { };

    RecordingStore(ObjectStore inner) {
        this.inner = inner;
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
    public CompletableFuture<GetResult> get(String path) {
        return inner.get(path);
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        return inner.get(path, range);
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return inner.head(path);
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return inner.list(prefix, startAfter, maxKeys);
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

    @Override
    public String describe() {
        return "recording(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
