package io.slatedb;

import io.slatedb.store.ForwardingObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every call to another store and records its writes ({@code "put <path>"}, {@code "delete <path>"}, copies). */
final class WriteRecordingStore extends ForwardingObjectStore {
    private final List<String> writes = new CopyOnWriteArrayList<>();

    WriteRecordingStore(ObjectStore inner) {
        super(inner, "recording");
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
    public CompletableFuture<Void> delete(String path) {
        writes.add("delete " + path);
        return inner.delete(path);
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        writes.add("copy " + fromPath + " " + toPath);
        return inner.copy(fromPath, toPath);
    }
}
