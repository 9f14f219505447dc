package io.slatedb.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal, synchronous, map-backed store for testing the store wrappers: every future it returns is
 * already complete. It keeps the contract's put conditions, metadata, ranges, ordering and errors,
 * and nothing more.
 */
final class MapObjectStore implements ObjectStore {

    private record Entry(byte[] data, String etag, Instant lastModified, Map<String, String> userMetadata) {
    }

    private static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final TreeMap<String, Entry> objects = new TreeMap<>(UTF8_ORDER);
    private long version;
    private boolean closed;

    @Override
    public synchronized CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Entry existing = objects.get(path);
        if (options.mode() instanceof PutMode.Create && existing != null) {
            return CompletableFuture.failedFuture(new ObjectAlreadyExistsException(path));
        }
        if (options.mode() instanceof PutMode.IfMatch ifMatch) {
            if (existing == null) {
                return CompletableFuture.failedFuture(new ObjectNotFoundException(path));
            }
            if (!existing.etag().equals(ifMatch.etag())) {
                return CompletableFuture.failedFuture(new PreconditionFailedException(path));
            }
        }
        String etag = "\"v" + (++version) + "\"";
        objects.put(path, new Entry(data.clone(), etag, Instant.now(), options.userMetadata()));
        return CompletableFuture.completedFuture(new PutResult(etag));
    }

    @Override
    public synchronized CompletableFuture<GetResult> get(String path) {
        Entry entry = objects.get(path);
        if (entry == null) {
            return CompletableFuture.failedFuture(new ObjectNotFoundException(path));
        }
        return CompletableFuture.completedFuture(new GetResult(entry.data().clone(), metadata(path, entry)));
    }

    @Override
    public synchronized CompletableFuture<GetResult> get(String path, ByteRange range) {
        Entry entry = objects.get(path);
        if (entry == null) {
            return CompletableFuture.failedFuture(new ObjectNotFoundException(path));
        }
        int size = entry.data().length;
        try {
            int start = (int) range.startIn(size);
            int end = (int) range.endIn(size);
            return CompletableFuture.completedFuture(
                    new GetResult(Arrays.copyOfRange(entry.data(), start, end), metadata(path, entry)));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new PermanentObjectStoreException(path, e.getMessage(), e));
        }
    }

    @Override
    public synchronized CompletableFuture<ObjectMetadata> head(String path) {
        Entry entry = objects.get(path);
        if (entry == null) {
            return CompletableFuture.failedFuture(new ObjectNotFoundException(path));
        }
        return CompletableFuture.completedFuture(metadata(path, entry));
    }

    @Override
    public synchronized CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        List<ObjectMetadata> page = new ArrayList<>();
        var tail = startAfter == null ? objects : objects.tailMap(startAfter, false);
        boolean truncated = false;
        for (var e : tail.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            if (page.size() == maxKeys) {
                truncated = true;
                break;
            }
            Entry entry = e.getValue();
            page.add(new ObjectMetadata(e.getKey(), entry.data().length, entry.etag(), entry.lastModified(), Map.of()));
        }
        return CompletableFuture.completedFuture(new ListPage(page, truncated));
    }

    @Override
    public synchronized CompletableFuture<Void> delete(String path) {
        objects.remove(path);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> copy(String fromPath, String toPath) {
        Entry entry = objects.get(fromPath);
        if (entry == null) {
            return CompletableFuture.failedFuture(new ObjectNotFoundException(fromPath));
        }
        objects.put(toPath, new Entry(entry.data(), "\"v" + (++version) + "\"", Instant.now(), Map.of()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String describe() {
        return "map://test";
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private static ObjectMetadata metadata(String path, Entry entry) {
        return new ObjectMetadata(path, entry.data().length, entry.etag(), entry.lastModified(), entry.userMetadata());
    }
}
