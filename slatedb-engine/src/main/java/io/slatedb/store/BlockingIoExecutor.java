package io.slatedb.store;

import io.slatedb.util.DaemonThreads;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a store's blocking calls on a bounded pool of threads it owns and turns their outcome into a
 * future that fails only with {@link ObjectStoreException}s.
 *
 * <p>Futures are completed on a separate completion executor, so stages that callers chain onto them
 * never run on (and never block) the I/O threads. Work queued when the executor is closed is either
 * finished (during the grace period) or failed; no future is left pending.
 */
final class BlockingIoExecutor {

    /** A blocking call; it reports failures as {@link ObjectStoreException}s. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws ObjectStoreException;
    }

    private final String owner;
    private final ThreadPoolExecutor pool;
    private final Executor completion;

    /**
     * @param owner      the store, for thread names and messages
     * @param threads    the most threads that do I/O at once
     * @param completion where futures are completed (and so where callers' dependent stages run)
     */
    BlockingIoExecutor(String owner, String threadNamePrefix, int threads, Executor completion) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.owner = Objects.requireNonNull(owner, "owner");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered(threadNamePrefix));
        // An idle store keeps no threads alive.
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code call} on the pool; {@code path} and {@code action} name the operation in failures. */
    <T> CompletableFuture<T> submit(String path, String action, IoCall<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            pool.execute(new Task<>(future, path, action, call));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(closedError(path, action));
        }
        return future;
    }

    /**
     * Stops taking work, waits up to {@code graceMillis} for queued and running calls to finish, then
     * interrupts the rest and fails the futures of calls that never started.
     */
    void close(long graceMillis) {
        pool.shutdown();
        boolean interrupted = false;
        try {
            if (pool.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        List<Runnable> neverStarted = pool.shutdownNow();
        for (Runnable runnable : neverStarted) {
            if (runnable instanceof Task<?> task) {
                task.abandon();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private PermanentObjectStoreException closedError(String path, String action) {
        return new PermanentObjectStoreException(path, "cannot " + action + " " + describe(path) + ": the object store "
                + owner + " is closed", null);
    }

    private static String describe(String path) {
        return path == null ? "" : StorePaths.quote(path);
    }


    private final class Task<T> implements Runnable {
        private final CompletableFuture<T> future;
        private final String path;
        private final String action;
        private final IoCall<T> call;

        Task(CompletableFuture<T> future, String path, String action, IoCall<T> call) {
            this.future = future;
            this.path = path;
            this.action = action;
            this.call = call;
        }

        @Override
        public void run() {
            T value;
            try {
                value = call.call();
            } catch (ObjectStoreException e) {
                fail(e);
                return;
            } catch (Throwable t) {
                // A bug or a resource error (for example OutOfMemoryError): the caller must still hear.
                fail(new PermanentObjectStoreException(path, "unexpected failure while trying to " + action + " "
                        + describe(path) + " in " + owner + ": " + t, t));
                if (t instanceof VirtualMachineError error) {
                    throw error;
                }
                return;
            }
            completeOffPool(() -> future.complete(value));
        }

        void abandon() {
            future.completeExceptionally(closedError(path, action));
        }

        private void fail(ObjectStoreException e) {
            completeOffPool(() -> future.completeExceptionally(e));
        }

        private void completeOffPool(Runnable completer) {
            try {
                completion.execute(completer);
            } catch (RejectedExecutionException e) {
                completer.run();
            }
        }
    }
}
