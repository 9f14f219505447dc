package io.slatedb.util;

import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.GetResult;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.PermanentObjectStoreException;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.StoreStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Store stacks of handles on shared threads: their retries wait on the shared timer, each closes only its own waits. */
@Timeout(30)
class SharedThreadsStoreStackTest {
    private static final RetryPolicy SLOW = RetryPolicy.DEFAULT.withBackoff(Duration.ofHours(1), Duration.ofHours(1));

    @Test
    void closingOneHandlesStackFailsOnlyItsOwnWaitingRetries() {
        FaultInjectingObjectStore faults = new FaultInjectingObjectStore(new InMemoryObjectStore());
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));
        try (SharedThreads shared = new SharedThreads(1, 1, 1)) {
            StoreStack first = SharedThreads.storeStack(shared, "first", SLOW, null);
            StoreStack second = SharedThreads.storeStack(shared, "second", SLOW, null);
            CompletableFuture<GetResult> firstWait = first.wrap(faults).get("k");
            CompletableFuture<GetResult> secondWait = second.wrap(faults).get("k");
            assertFalse(firstWait.isDone(), "waiting out the backoff");

            first.close();
            assertPermanent(firstWait);
            assertFalse(secondWait.isDone(), "the other handle's retry still waits on the shared timer");

            second.close();
            assertPermanent(secondWait);
        }
    }

    private static void assertPermanent(CompletableFuture<GetResult> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(PermanentObjectStoreException.class, thrown.getCause());
        assertTrue(future.isCompletedExceptionally());
    }
}
