package io.slatedb.util;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** Helpers for the engine's futures: the blocking calls and unwrapping of completion wrappers. */
public final class Futures {
    private Futures() {
    }

    /**
     * Waits for a future and returns its value; a {@link SlateDbException} it failed with is rethrown as
     * it is (not wrapped), anything else becomes an {@link ErrorKind#INTERNAL} error.
     */
    public static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlateDbException(ErrorKind.UNAVAILABLE, "interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new SlateDbException(ErrorKind.UNAVAILABLE, "operation cancelled", e);
        }
    }

    /** The failure inside {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** A runtime exception to throw for {@code t}: SlateDB errors as they are, others wrapped as INTERNAL. */
    public static RuntimeException rethrow(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof SlateDbException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new SlateDbException(ErrorKind.INTERNAL, "unexpected failure: " + cause, cause);
    }

    /**
     * Runs {@code work}, which blocks on I/O, on a new daemon thread named {@code threadName} and
     * returns its outcome as a future: the asynchronous form of an operation whose internals wait on
     * the store step by step (a garbage-collection run, a clone). A thread per call, because these
     * operations are rare and long, and a pool of the caller's would have to be sized and closed.
     * A {@link SlateDbException} {@code work} throws fails the future as it is.
     */
    public static <T> CompletableFuture<T> offload(String threadName, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(unwrap(t));
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /**
     * {@code operation}'s future, or a future failed with the {@link SlateDbException} it threw before
     * returning one (a closed handle, an invalid argument): asynchronous forms report typed errors
     * through their future, as their blocking forms throw them.
     */
    public static <T> CompletableFuture<T> failing(Supplier<CompletableFuture<T>> operation) {
        try {
            return operation.get();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A future already failed with {@code t}. */
    public static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}
