package io.slatedb.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** Bounded waits on store futures for tests. */
final class StoreFutures {
    /** Long enough for any single store call in a test; a hang fails the test instead of the build. */
    static final long TIMEOUT_SECONDS = 20;

    private StoreFutures() {
    }

    /** The value of {@code future}, failing the test if it fails or takes too long. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success, but the call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not complete within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** The failure of {@code future}, which must be of {@code type}. */
    static <E extends Throwable> E failure(CompletableFuture<?> future, Class<E> type) {
        try {
            Object value = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return fail("expected " + type.getSimpleName() + ", but the call returned " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause(), () -> "unexpected failure: " + e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not complete within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Asserts that {@code store} has been closed: its operations fail as permanent errors. */
    static void assertClosed(ObjectStore store) {
        failure(store.head("any"), PermanentObjectStoreException.class);
    }
}
