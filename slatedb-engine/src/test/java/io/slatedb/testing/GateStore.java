package io.slatedb.testing;

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
public final class GateStore extends ForwardingObjectStore {
    /** One shut gate: the paths it holds, its opening, and the first put it held. */
    private record Gate(Predicate<String> paths, CompletableFuture<Void> opened, CompletableFuture<String> firstHeld) {
        static Gate shut(Predicate<String> paths) {
            return new Gate(paths, new CompletableFuture<>(), new CompletableFuture<>());
        }
    }

    // Guarded by this.
    private Gate gate = new Gate(path -> false, CompletableFuture.completedFuture(null), new CompletableFuture<>());
    private final List<Gate> earlier = new ArrayList<>();

    public GateStore(ObjectStore inner) {
        super(inner, "gated");
    }

    /**
     * Holds the puts to paths that {@code paths} accepts until {@link #open()}. Puts an earlier gate holds
     * stay held until {@link #openHeldBefore()} or {@link #open()}.
     *
     * @return completes with the path of the first put this gate holds, so a test waits for the put to
     *         be in flight instead of guessing when it gets there
     */
    public synchronized CompletableFuture<String> shut(Predicate<String> paths) {
        if (!gate.opened().isDone()) {
            earlier.add(gate);
        }
        gate = Gate.shut(paths);
        return gate.firstHeld();
    }

    /** Lets through the puts held by gates shut before the current one; the current one stays shut. */
    public void openHeldBefore() {
        List<Gate> opened;
        synchronized (this) {
            opened = new ArrayList<>(earlier);
            earlier.clear();
        }
        opened.forEach(g -> g.opened().complete(null));
    }

    /** Lets the held puts and every later one through. */
    public void open() {
        openHeldBefore();
        Gate opened;
        synchronized (this) {
            opened = gate;
            gate = new Gate(path -> false, CompletableFuture.completedFuture(null), new CompletableFuture<>());
        }
        opened.opened().complete(null);
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Gate holding;
        synchronized (this) {
            holding = gate.opened().isDone() || !gate.paths().test(path) ? null : gate;
        }
        if (holding == null) {
            return inner.put(path, data, options);
        }
        holding.firstHeld().complete(path);
        return holding.opened().thenCompose(unused -> inner.put(path, data, options));
    }

}
