package io.slatedb.db;

import io.slatedb.store.ByteRange;
import io.slatedb.store.GetResult;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Passes calls to another store, but while a gate is shut, holds the puts to the paths it names until
 * the gate opens: a test can keep a writer's L0 uploads (say) in flight for as long as it needs.
 * Closing it leaves the wrapped store open.
 */
final class GateStore implements ObjectStore {
    private final ObjectStore inner;
    // Guarded by this.
    private Predicate<String> held = path -> false;
    private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private final CompletableFuture<String> firstHeld = new CompletableFuture<>();

    GateStore(ObjectStore inner) {
        this.inner = inner;
    }

    /** Holds the puts to paths that {@code paths} accepts until {@link #open()}. */
    synchronized void shut(Predicate<String> paths) {
        held = paths;
        gate = new CompletableFuture<>();
    }

    /** Lets the held puts and every later one through. */
    void open() {
        CompletableFuture<Void> opened;
        synchronized (this) {
            held = path -> false;
            opened = gate;
        }
        opened.complete(null);
    }

    /** Completes with the path of the first put the gate held. */
    CompletableFuture<String> firstHeld() {
        return firstHeld;
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        CompletableFuture<Void> wait;
        synchronized (this) {
            wait = held.test(path) ? gate : null;
        }
        if (wait == null) {
            return inner.put(path, data, options);
        }
        firstHeld.complete(path);
        return wait.thenCompose(unused -> inner.put(path, data, options));
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
        return "gated(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        // The wrapped store belongs to the test.
    }
}
