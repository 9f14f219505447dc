package io.slatedb;

import io.slatedb.metrics.MetricRegistry;
import io.slatedb.reader.SstCaches;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.StoreStack;
import io.slatedb.util.SharedThreads;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle's hold on {@link SharedResources}, or on nothing when the handle has resources of its own:
 * taken when the handle is built, given back once when it closes.
 */
final class HandleLease implements AutoCloseable {
    private static final HandleLease NONE = new HandleLease(null);

    private final SharedResources shared;
    private final AtomicBoolean released = new AtomicBoolean();

    private HandleLease(SharedResources shared) {
        this.shared = shared;
    }

    /** Counts a handle in on {@code shared}; a lease of nothing when it is null. */
    static HandleLease take(SharedResources shared) {
        if (shared == null) {
            return NONE;
        }
        shared.acquire();
        return new HandleLease(shared);
    }

    /** The shared threads, or null when the handle has its own. */
    SharedThreads threads() {
        return shared == null ? null : shared.threads();
    }

    /** The shared caches, or null when the handle has its own. */
    SstCaches caches() {
        return shared == null ? null : shared.caches();
    }

    /**
     * The store stack of a handle named {@code name}: its retries wait on the shared retry timer when the
     * handle is on shared resources, else on a timer of its own (see {@link SharedThreads#storeStack}).
     */
    StoreStack storeStack(String name, RetryPolicy policy, MetricRegistry registry) {
        return SharedThreads.storeStack(threads(), name, policy, registry);
    }

    /** Counts the handle out. Idempotent. */
    @Override
    public void close() {
        if (shared != null && released.compareAndSet(false, true)) {
            shared.release();
        }
    }
}
