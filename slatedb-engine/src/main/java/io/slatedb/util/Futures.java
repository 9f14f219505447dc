package io.slatedb.util;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

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

    /** A future already failed with {@code t}. */
    public static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}
