package io.slatedb;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every call to another store and records its writes ({@code "put <path>"}, {@code "delete <path>"}, copies). */
final class WriteRecordingStore implements ObjectStore {
    private final ObjectStore inner;
    private final List<String> writes = new CopyOnWriteArrayList<>();

    WriteRecordingStore(ObjectStore inner) {
        this.inner = inner;
    }

    List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        writes.add("put " + path);
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
        writes.add("delete " + path);
        return inner.delete(path);
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        writes.add("copy " + fromPath + " " + toPath);
        return inner.copy(fromPath, toPath);
    }

    @Override
    public String describe() {
        return "recording(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        // The test owns the inner store.
    }
}
