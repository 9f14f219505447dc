package io.slatedb.util;

import io.slatedb.store.DelayScheduler;
import io.slatedb.store.InstrumentedObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PermanentObjectStoreException;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;

import io.slatedb.metrics.MetricRegistry;

import java.util.Objects;
import java.util.Random;

/**
 * The store stack one SlateDB handle works through: every store a handle is given goes through
 * {@link #wrap}, which records each attempt in the handle's metric registry (when it has one) and retries
 * transient failures with the handle's {@link RetryPolicy} ({@link RetryingObjectStore}). Every handle
 * builds its stack here ({@code Db}, {@code DbReader}, {@code WalChangeFeed}, {@code Admin},
 * {@code Compactor}, {@code GarbageCollector}), so a store is retried the same way whichever handle
 * uses it.
 *
 * <p>A store that already retries (a {@link RetryingObjectStore}, possibly under an
 * {@link InstrumentedObjectStore}) is never wrapped in retries again: attempts would multiply. That is
 * how a writer's embedded compactor and garbage collector share the writer's stack, and how a caller
 * that built its own {@link RetryingObjectStore} keeps its policy.
 *
 * <p>Ownership: the stack owns the timer its retries wait on (unless built {@link #withTimer}), and nothing else. {@link #close()} stops
 * that timer (operations waiting to be retried then fail with a {@link PermanentObjectStoreException});
 * the wrapped stores stay open, their owner closes them. Thread-safe.
 */
public final class StoreStack implements AutoCloseable {
    private final RetryPolicy policy;
    private final MetricRegistry registry;
    private final DelayScheduler retryTimer;
    private final boolean ownsTimer;

    private StoreStack(RetryPolicy policy, MetricRegistry registry, DelayScheduler retryTimer, boolean ownsTimer) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.registry = registry;
        this.retryTimer = Objects.requireNonNull(retryTimer, "retryTimer");
        this.ownsTimer = ownsTimer;
    }

    /**
     * A stack retrying with {@code policy} on a timer thread of its own named {@code name + "-retry"}
     * (started only when a retry first waits), recording requests in {@code registry} unless it is null.
     */
    public static StoreStack create(String name, RetryPolicy policy, MetricRegistry registry) {
        Objects.requireNonNull(name, "name");
        return new StoreStack(policy, registry, DelayScheduler.create(name + "-retry"), true);
    }

    /**
     * A stack whose retries wait on {@code retryTimer}, which stays open when the stack closes. Tests
     * use it to run the backoff on a virtual clock.
     */
    public static StoreStack withTimer(RetryPolicy policy, MetricRegistry registry, DelayScheduler retryTimer) {
        return new StoreStack(policy, registry, retryTimer, false);
    }

    /**
     * A stack whose retries wait on {@code retryTimer}, which it closes when it closes: a handle's own view
     * of a timer shared with other handles, whose close fails only the waits asked for through it.
     */
    public static StoreStack owning(RetryPolicy policy, MetricRegistry registry, DelayScheduler retryTimer) {
        return new StoreStack(policy, registry, retryTimer, true);
    }

    /** The policy this stack retries with. */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * {@code store} as the handle uses it: instrumented when the stack has a registry, then retried; a
     * store that already retries is only instrumented. The returned store must not be closed (that would
     * close {@code store}); close the stack instead.
     */
    public ObjectStore wrap(ObjectStore store) {
        Objects.requireNonNull(store, "store");
        ObjectStore recorded = registry == null ? store : new InstrumentedObjectStore(store, registry);
        if (retries(store)) {
            return recorded;
        }
        return new RetryingObjectStore(recorded, policy, retryTimer, new Random());
    }

    /** {@link #wrap}, or null for a null store (an optional second store such as a separate WAL store). */
    public ObjectStore wrapOptional(ObjectStore store) {
        return store == null ? null : wrap(store);
    }

    /** Whether {@code store} already retries: it is a {@link RetryingObjectStore}, or instruments one. */
    public static boolean retries(ObjectStore store) {
        ObjectStore current = store;
        while (current instanceof InstrumentedObjectStore instrumented) {
            current = instrumented.inner();
        }
        return current instanceof RetryingObjectStore;
    }

    /** Closes the retry timer if the stack owns it; the wrapped stores stay open. Idempotent. */
    @Override
    public void close() {
        if (ownsTimer) {
            retryTimer.close();
        }
    }
}
