package io.slatedb.testing;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A test store that passes every call to another store; test wrappers (recording, gating, counting)
 * extend it and override only the calls they watch or change. Closing it leaves the wrapped store
 * open: the test that made the wrapped store owns it.
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    protected final ObjectStore inner;
    private final String name;

    /** {@code name} is how {@link #describe()} labels the wrapper around the inner store. */
    protected ForwardingObjectStore(ObjectStore inner, String name) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.name = name;
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
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
        return inner.delete(path);
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return inner.copy(fromPath, toPath);
    }

    @Override
    public String describe() {
        return name + "(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        // The wrapped store belongs to the test.
    }
}
