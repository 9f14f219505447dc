package io.slatedb.db;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PermanentObjectStoreException;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;
import io.slatedb.store.TransientObjectStoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A writer's view of a store that a test can cut off, as if the writer's process had died: from
 * {@link #cutOff()} on, every call fails with a permanent error and nothing reaches the store, so the
 * writer cannot write on. It can also lose the answer of the next WAL put: the put is stored, but the
 * writer is told it failed (as when a response is lost on the way back), and optionally the store is
 * cut off right then, so the writer's retry fails too. Records the puts that reached the store, in one
 * order across all instances.
 * Closing it leaves the wrapped store open.
 */
final class CutOffStore implements ObjectStore {
    private final ObjectStore inner;
    /** Orders the puts of every instance, so that tests can tell which of two writers stored first. */
    private static final AtomicLong ORDER = new AtomicLong();

    /** A put that reached the store and succeeded: its place in the order of all stored puts, and its path. */
    record StoredPut(long order, String path) {
    }

    private final List<StoredPut> storedPuts = new ArrayList<>();
    private volatile boolean cutOff;
    // Guarded by this.
    private boolean loseNextWalAnswer;
    private boolean cutOffAfterLostAnswer;
    private final CompletableFuture<String> lostAnswer = new CompletableFuture<>();

    CutOffStore(ObjectStore inner) {
        this.inner = inner;
    }

    /** Fails every later call. */
    void cutOff() {
        cutOff = true;
    }

    boolean isCutOff() {
        return cutOff;
    }

    /**
     * Stores the next WAL put but answers it with a transient error; with {@code thenCutOff}, cuts the
     * store off as it answers.
     */
    synchronized void loseNextWalAnswer(boolean thenCutOff) {
        loseNextWalAnswer = true;
        cutOffAfterLostAnswer = thenCutOff;
    }

    /** Completes with the path of the put whose answer was lost. */
    CompletableFuture<String> lostAnswer() {
        return lostAnswer;
    }

    /** The puts that reached the store and succeeded, in order. */
    synchronized List<StoredPut> storedPuts() {
        return List.copyOf(storedPuts);
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        if (cutOff) {
            return refused(path);
        }
        boolean loseAnswer;
        boolean thenCutOff;
        synchronized (this) {
            loseAnswer = loseNextWalAnswer && path.contains("/wal/");
            thenCutOff = cutOffAfterLostAnswer;
            if (loseAnswer) {
                loseNextWalAnswer = false;
            }
        }
        CompletableFuture<PutResult> put = inner.put(path, data, options).whenComplete((result, error) -> {
            if (error == null) {
                synchronized (this) {
                    storedPuts.add(new StoredPut(ORDER.incrementAndGet(), path));
                }
            }
        });
        if (!loseAnswer) {
            return put;
        }
        return put.handle((result, error) -> {
            if (thenCutOff) {
                cutOff = true;
            }
            lostAnswer.complete(path);
            throw new TransientObjectStoreException(path, "the answer to the put of " + path + " was lost", error);
        });
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return unlessCutOff(path, () -> inner.get(path));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        return unlessCutOff(path, () -> inner.get(path, range));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return unlessCutOff(path, () -> inner.head(path));
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return unlessCutOff(prefix, () -> inner.list(prefix, startAfter, maxKeys));
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return unlessCutOff(path, () -> inner.delete(path));
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return unlessCutOff(toPath, () -> inner.copy(fromPath, toPath));
    }

    @Override
    public String describe() {
        return "cut-off-able(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        // The wrapped store belongs to the test.
    }

    private <T> CompletableFuture<T> unlessCutOff(String path, Supplier<CompletableFuture<T>> call) {
        return cutOff ? refused(path) : call.get();
    }

    private static <T> CompletableFuture<T> refused(String path) {
        return CompletableFuture.failedFuture(new PermanentObjectStoreException(path,
                "the store is cut off from this writer: " + path, null));
    }
}
