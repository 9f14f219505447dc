package io.slatedb.sst;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PermanentObjectStoreException;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;
import io.slatedb.store.TransientObjectStoreException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test store holding objects in memory that records every ranged read and can fail reads on
 * demand. Only what the SST reader uses (put and get) is supported.
 */
final class RecordingStore implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final List<ByteRange> reads = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failNextReads = new AtomicInteger();

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        objects.put(path, data.clone());
        return CompletableFuture.completedFuture(new PutResult("etag-" + path));
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return get(path, ByteRange.from(0));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        reads.add(range);
        if (failNextReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new TransientObjectStoreException(path, "injected failure", null));
        }
        byte[] data = objects.get(path);
        if (data == null) {
            return CompletableFuture.failedFuture(new ObjectNotFoundException(path));
        }
        long start;
        try {
            start = range.startIn(data.length);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PermanentObjectStoreException(path, e.getMessage(), e));
        }
        long end = range.endIn(data.length);
        ObjectMetadata metadata = new ObjectMetadata(path, data.length, "etag", Instant.EPOCH, Map.of());
        // Ranged reads complete asynchronously, as a real store's do.
        return CompletableFuture.supplyAsync(() -> new GetResult(Arrays.copyOfRange(data, (int) start, (int) end), metadata));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        throw new UnsupportedOperationException("not used by the SST reader");
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        throw new UnsupportedOperationException("not used by the SST reader");
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        objects.remove(path);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        throw new UnsupportedOperationException("not used by the SST reader");
    }

    @Override
    public String describe() {
        return "recording-memory";
    }

    @Override
    public void close() {
    }
}
