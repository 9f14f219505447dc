package io.slatedb.util;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after another: a task starts when the one submitted before it has
 * finished (successfully or not). Code that must not interleave (manifest updates by one process)
 * submits here instead of holding a lock across I/O. Thread-safe.
 */
public final class SerialExecutor {
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    /** Runs {@code task} after every task submitted earlier; the result completes with the task's. */
    public synchronized <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = tail.handle((ignored, error) -> null).thenCompose(unused -> {
            try {
                return task.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        tail = result;
        return result;
    }

    /** Completes when every task submitted so far has finished. */
    public synchronized CompletableFuture<Void> idle() {
        return tail.handle((ignored, error) -> null);
    }
}
