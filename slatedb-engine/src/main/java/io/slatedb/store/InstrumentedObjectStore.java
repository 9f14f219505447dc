package io.slatedb.store;

import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Wraps a store and records what its callers ask of it in a {@link MetricRegistry}: for each operation
 * {@code <op>} of {@code put}, {@code get} (whole or ranged), {@code head}, {@code list}, {@code delete}
 * and {@code copy}, the counters {@code object_store.<op>.requests} and {@code object_store.<op>.errors}
 * (requests whose future failed, or that threw at the call) and the timer {@code object_store.<op>.latency}
 * (from the call to its outcome, failures included: a slow timeout is exactly what an operator needs to
 * see); and the counters {@code object_store.bytes_read} (the bytes gets returned) and
 * {@code object_store.bytes_written} (the bytes of puts that succeeded).
 *
 * <p>Where it sits decides what it counts: over a {@link RetryingObjectStore} it sees one request per
 * operation however many attempts it took, with the retries' waits in its latency; under one it sees
 * every attempt. Object-store pricing and throttling count attempts.
 *
 * <p>The instruments are registered once, when the store is built, so a call only updates them. The
 * futures returned complete with the wrapped store's value or error unchanged, after the call has been
 * recorded. Everything else, {@link #describe()} included, is the wrapped store's; closing this store
 * closes it. Thread-safe.
 */
public final class InstrumentedObjectStore implements ObjectStore {

    private final ObjectStore inner;
    private final OperationMetrics puts;
    private final OperationMetrics gets;
    private final OperationMetrics heads;
    private final OperationMetrics lists;
    private final OperationMetrics deletes;
    private final OperationMetrics copies;
    private final Counter bytesRead;
    private final Counter bytesWritten;

    /** Records {@code inner}'s operations in {@code registry}, timed by {@link System#nanoTime()}. */
    public InstrumentedObjectStore(ObjectStore inner, MetricRegistry registry) {
        this(inner, registry, System::nanoTime);
    }

    /**
     * Records {@code inner}'s operations in {@code registry}, timed by {@code nanoTime} (a monotonic clock
     * in nanoseconds, only differences of which matter). Tests pass a virtual clock.
     */
    public InstrumentedObjectStore(ObjectStore inner, MetricRegistry registry, LongSupplier nanoTime) {
        this.inner = Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(nanoTime, "nanoTime");
        this.puts = new OperationMetrics(registry, "put", nanoTime);
        this.gets = new OperationMetrics(registry, "get", nanoTime);
        this.heads = new OperationMetrics(registry, "head", nanoTime);
        this.lists = new OperationMetrics(registry, "list", nanoTime);
        this.deletes = new OperationMetrics(registry, "delete", nanoTime);
        this.copies = new OperationMetrics(registry, "copy", nanoTime);
        this.bytesRead = registry.counter("object_store.bytes_read", "bytes returned by object-store gets");
        this.bytesWritten = registry.counter("object_store.bytes_written",
                "bytes of object-store puts that succeeded");
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        return puts.record(() -> inner.put(path, data, options), stored -> bytesWritten.add(data.length));
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return gets.record(() -> inner.get(path), this::countRead);
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        return gets.record(() -> inner.get(path, range), this::countRead);
    }

    /** The wrapped store's immediate reads, each recorded as a ranged {@code get}. */
    @Override
    public Optional<ImmutableReads> immutableReads() {
        return inner.immutableReads().map(reads -> (path, start, end) ->
                gets.recordNow(() -> reads.read(path, start, end), data -> bytesRead.add(data.length)));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return heads.record(() -> inner.head(path), metadata -> { });
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return lists.record(() -> inner.list(prefix, startAfter, maxKeys), page -> { });
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return deletes.record(() -> inner.delete(path), unused -> { });
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return copies.record(() -> inner.copy(fromPath, toPath), unused -> { });
    }

    /** The store whose calls this one records. */
    public ObjectStore inner() {
        return inner;
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "InstrumentedObjectStore[" + inner + "]";
    }

    private void countRead(GetResult result) {
        bytesRead.add(result.data().length);
    }
}
