package io.slatedb.db;

import io.slatedb.store.ForwardingObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.store.PutResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Passes calls to another store, but while a gate is shut, holds the puts to the paths it names until
 * the gate opens: a test can keep a writer's L0 uploads (say) in flight for as long as it needs.
 * Closing it leaves the wrapped store open.
 */
final class GateStore extends ForwardingObjectStore {
    // Guarded by this.
    private Predicate<String> held = path -> false;
    private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private final List<CompletableFuture<Void>> earlier = new ArrayList<>();
    private final CompletableFuture<String> firstHeld = new CompletableFuture<>();

    GateStore(ObjectStore inner) {
        super(inner, "gated");
    }

    /**
     * Holds the puts to paths that {@code paths} accepts until {@link #open()}. Puts an earlier gate holds
     * stay held until {@link #openHeldBefore()} or {@link #open()}.
     */
    synchronized void shut(Predicate<String> paths) {
        if (!gate.isDone()) {
            earlier.add(gate);
        }
        held = paths;
        gate = new CompletableFuture<>();
    }

    /** Lets through the puts held by gates shut before the current one; the current one stays shut. */
    void openHeldBefore() {
        List<CompletableFuture<Void>> opened;
        synchronized (this) {
            opened = new ArrayList<>(earlier);
            earlier.clear();
        }
        opened.forEach(g -> g.complete(null));
    }

    /** Lets the held puts and every later one through. */
    void open() {
        openHeldBefore();
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

}
