package io.slatedb.reader;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that counts reads per object and, when given an executor, completes reads on it
 * (as a remote store would) instead of on the caller's thread.
 */
final class CountingStore implements ObjectStore {
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final Executor completions;
    private final Map<String, AtomicInteger> readsByPath = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** Reads complete on {@code completions}, or at once when it is null. */
    CountingStore(Executor completions) {
        this.completions = completions;
    }

    CountingStore() {
        this(null);
    }

    int reads() {
        return reads.get();
    }

    int readsOf(String path) {
        AtomicInteger count = readsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    private <T> CompletableFuture<T> counted(String path, CompletableFuture<T> result) {
        reads.incrementAndGet();
        readsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        return completions == null ? result : result.thenApplyAsync(r -> r, completions);
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        return objects.put(path, data, options);
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return counted(path, objects.get(path));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        return counted(path, objects.get(path, range));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return objects.head(path);
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return objects.list(prefix, startAfter, maxKeys);
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return objects.delete(path);
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return objects.copy(fromPath, toPath);
    }

    @Override
    public String describe() {
        return "counting-memory";
    }

    @Override
    public void close() {
        objects.close();
    }
}
