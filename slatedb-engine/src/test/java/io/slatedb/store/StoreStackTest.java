package io.slatedb.store;

import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.Admin;
import io.slatedb.util.StoreStack;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static io.slatedb.store.StoreFutures.await;
import static io.slatedb.store.StoreFutures.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one store stack every handle builds: retries, metrics, no double retries, and what closing it does. */
@Timeout(30)
class StoreStackTest {
    /** Retries at once (1 ns backoff), three attempts in all. */
    private static final RetryPolicy QUICK = RetryPolicy.DEFAULT.withBackoff(Duration.ofNanos(1), Duration.ofNanos(1))
            .withMaxAttempts(3);
    private static final byte[] VALUE = {1, 2, 3};

    private final FaultInjectingObjectStore faults = new FaultInjectingObjectStore(new InMemoryObjectStore());

    @Test
    void itRetriesTransientFailuresAndClosingItLeavesTheStoreOpen() {
        await(faults.put("k", VALUE));
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()).times(2));
        try (StoreStack stack = StoreStack.create("test", QUICK, null)) {
            ObjectStore store = stack.wrap(faults);
            assertTrue(StoreStack.retries(store));
            assertArrayEquals(VALUE, await(store.get("k")).data());
            assertEquals(3, faults.calls(Operation.GET).size());
        }
        assertArrayEquals(VALUE, await(faults.get("k")).data(), "the caller's store is still open");
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        faults.inject(FaultRule.on(Operation.GET, Fault.failPermanently()).once());
        try (StoreStack stack = StoreStack.create("test", QUICK, null)) {
            failure(stack.wrap(faults).get("k"), PermanentObjectStoreException.class);
            assertEquals(1, faults.calls(Operation.GET).size());
        }
    }

    @Test
    void aStoreThatAlreadyRetriesIsNotRetriedAgain() {
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));
        try (RetryingObjectStore own = new RetryingObjectStore(faults, QUICK.withMaxAttempts(2));
             StoreStack stack = StoreStack.create("test", QUICK, new SimpleMetricRegistry())) {
            ObjectStore store = stack.wrap(own);
            assertTrue(StoreStack.retries(store), "instrumented over the caller's retries");
            failure(store.get("k"), TransientObjectStoreException.class);
            assertEquals(2, faults.calls(Operation.GET).size(), "the caller's two attempts, not 2 x 3");
        }
    }

    @Test
    void aStackOverAnotherStacksStoreSharesItsRetries() {
        // How a writer's embedded compactor and collector use the writer's store.
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));
        try (StoreStack writer = StoreStack.create("writer", QUICK, new SimpleMetricRegistry());
             StoreStack embedded = StoreStack.create("embedded", QUICK, null)) {
            failure(embedded.wrap(writer.wrap(faults)).get("k"), TransientObjectStoreException.class);
            assertEquals(3, faults.calls(Operation.GET).size(), "3 attempts, not 3 x 3");
        }
    }

    @Test
    void aHandleGivenARetryingStoreDoesNotMultiplyAttempts() {
        faults.inject(FaultRule.onEveryOperation(Fault.failTransiently()));
        try (RetryingObjectStore own = new RetryingObjectStore(faults, QUICK.withMaxAttempts(2));
             Admin admin = Admin.builder("db", own).withRetryPolicy(QUICK).build()) {
            assertThrows(TransientObjectStoreException.class, admin::readManifest);
            assertEquals(2, faults.calls().size(), "the first call, tried twice: " + faults.calls());
        }
    }

    @Test
    void withARegistryEveryAttemptIsRecorded() {
        await(faults.put("k", VALUE));
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()).once());
        SimpleMetricRegistry registry = new SimpleMetricRegistry();
        try (StoreStack stack = StoreStack.create("test", QUICK, registry)) {
            assertArrayEquals(VALUE, await(stack.wrap(faults).get("k")).data());
        }
        assertEquals(2L, registry.snapshot().get("object_store.get.requests"));
        assertEquals(1L, registry.snapshot().get("object_store.get.errors"));
    }

    @Test
    void closingTheStackFailsAnOperationWaitingToBeRetried() {
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));
        RetryPolicy slow = QUICK.withBackoff(Duration.ofHours(1), Duration.ofHours(1));
        StoreStack stack = StoreStack.create("test", slow, null);
        var pending = stack.wrap(faults).get("k");
        assertFalse(pending.isDone(), "waiting out the backoff");
        stack.close();
        failure(pending, PermanentObjectStoreException.class);
        faults.clearFaults();
        assertEquals(ObjectNotFoundException.class, failure(faults.get("k"), ObjectNotFoundException.class).getClass(),
                "the caller's store is still open");
    }

    @Test
    void optionalStoresStayAbsent() {
        try (StoreStack stack = StoreStack.create("test", QUICK, null)) {
            assertEquals(null, stack.wrapOptional(null));
            assertTrue(StoreStack.retries(stack.wrapOptional(faults)));
            assertFalse(StoreStack.retries(faults));
        }
    }
}
