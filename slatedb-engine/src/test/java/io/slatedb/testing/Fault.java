package io.slatedb.testing;

import io.slatedb.store.PermanentObjectStoreException;
import io.slatedb.store.TransientObjectStoreException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What a {@link FaultInjectingObjectStore} does to a call that one of its {@link FaultRule}s picks.
 */
public sealed interface Fault {

    /** Fail at once, without calling the wrapped store, with the error {@code error} makes for the path. */
    static Fault fail(Function<String, ? extends Throwable> error) {
        return new Fail(error);
    }

    /** Fail at once with a {@link TransientObjectStoreException} naming the path. */
    static Fault failTransiently() {
        return new Fail(path -> new TransientObjectStoreException(path, "injected transient failure on " + path, null));
    }

    /** Fail at once with a {@link PermanentObjectStoreException} naming the path. */
    static Fault failPermanently() {
        return new Fail(path -> new PermanentObjectStoreException(path, "injected permanent failure on " + path, null));
    }

    /** Wait {@code duration}, then make the call as usual. */
    static Fault delay(Duration duration) {
        return new Delay(duration);
    }

    /**
     * Never reach the wrapped store, and fail with a {@link TransientObjectStoreException} once
     * {@code timeout} has passed, as a client does when a request hangs until its timeout.
     */
    static Fault hang(Duration timeout) {
        return new Hang(timeout);
    }

    /**
     * Make the call on the wrapped store, wait for it, and then fail with a
     * {@link TransientObjectStoreException} whatever it returned: the write happened but the caller saw
     * an error, as when a response is lost on the way back.
     */
    static Fault applyThenFail() {
        return new ApplyThenFail();
    }

    /**
     * Hold each call the rule picks until {@link Hold#release()}, then make it as usual: a test stops a
     * component at a chosen request (a collector's first delete, a manifest read) and lets it go on
     * after doing something in between. {@link Hold#reached()} completes with the path of the first
     * call held, so the test waits for that event rather than for time to pass.
     */
    static Hold hold() {
        return new Hold(new CompletableFuture<>(), new CompletableFuture<>());
    }

    /** See {@link Fault#hold}. */
    record Hold(CompletableFuture<Void> released, CompletableFuture<String> reached) implements Fault {
        public Hold {
            Objects.requireNonNull(released, "released");
            Objects.requireNonNull(reached, "reached");
        }

        /** Lets the held calls, and every later one the rule picks, through. */
        public void release() {
            released.complete(null);
        }
    }

    /** See {@link Fault#fail}. */
    record Fail(Function<String, ? extends Throwable> error) implements Fault {
        public Fail {
            Objects.requireNonNull(error, "error");
        }
    }

    /** See {@link Fault#delay}. */
    record Delay(Duration duration) implements Fault {
        public Delay {
            requireNotNegative(duration, "duration");
        }
    }

    /** See {@link Fault#hang}. */
    record Hang(Duration timeout) implements Fault {
        public Hang {
            requireNotNegative(timeout, "timeout");
        }
    }

    /** See {@link Fault#applyThenFail}. */
    record ApplyThenFail() implements Fault {
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + duration);
        }
    }
}
