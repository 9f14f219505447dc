package io.slatedb.testing;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.TransientObjectStoreException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that records its reads (the ranges read, and how many reads of each object), can
 * fail the next reads with a transient error, and, when given an executor, completes reads on it (as a
 * remote store would) instead of on the caller's thread.
 */
public final class ReadRecordingStore extends ForwardingObjectStore {
    private final Executor completions;
    private final List<ByteRange> ranges = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> readsByPath = new ConcurrentHashMap<>();
    private final AtomicInteger failNextReads = new AtomicInteger();

    /** Reads complete on {@code completions}, or at once when it is null. */
    public ReadRecordingStore(Executor completions) {
        super(new InMemoryObjectStore(), "read-recording");
        this.completions = completions;
    }

    /** Reads complete at once, on the caller's thread. */
    public ReadRecordingStore() {
        this(null);
    }

    /** How many reads (whole or ranged) were asked for so far. */
    public int reads() {
        return ranges.size();
    }

    /** The ranges read so far, in order; a whole-object read is {@code ByteRange.from(0)}. */
    public List<ByteRange> ranges() {
        synchronized (ranges) {
            return List.copyOf(ranges);
        }
    }

    /** How many reads of {@code path} were asked for so far. */
    public int readsOf(String path) {
        AtomicInteger count = readsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** Fails the next {@code count} reads with a {@link TransientObjectStoreException}. */
    public void failNextReads(int count) {
        failNextReads.set(count);
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return get(path, ByteRange.from(0));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        ranges.add(range);
        readsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (failNextReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new TransientObjectStoreException(path, "injected failure", null));
        }
        CompletableFuture<GetResult> result = inner.get(path, range);
        return completions == null ? result : result.thenApplyAsync(r -> r, completions);
    }

    /** Closes the in-memory store it owns. */
    @Override
    public void close() {
        inner.close();
    }
}
