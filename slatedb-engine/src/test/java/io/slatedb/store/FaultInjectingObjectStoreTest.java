package io.slatedb.store;

import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Call;
import io.slatedb.testing.FaultInjectingObjectStore.CallKind;
import io.slatedb.testing.FaultInjectingObjectStore.InjectedFault;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.ManualDelayScheduler;
import io.slatedb.util.SchedulerClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.slatedb.store.StoreFutures.await;
import static io.slatedb.store.StoreFutures.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FaultInjectingObjectStore} over a map-backed store, its waits on a virtual clock. */
@Timeout(30)
class FaultInjectingObjectStoreTest {

    private final ManualDelayScheduler clock = new ManualDelayScheduler();
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(backing, clock, 11);

    @AfterEach
    void close() {
        store.close();
        clock.close();
    }

    @Test
    void rulesPickCallsByKindAndTheLogNamesEachCallsKind() {
        store.inject(FaultRule.on(CallKind.CONDITIONAL_PUT, Fault.failTransiently()));
        store.inject(FaultRule.on(CallKind.RANGED_GET, Fault.failTransiently()));
        await(store.put("k", bytes("v")));
        failure(store.put("k", bytes("v"), PutOptions.CREATE), TransientObjectStoreException.class);
        assertArrayEquals(bytes("v"), await(store.get("k")).data());
        failure(store.get("k", ByteRange.from(0)), TransientObjectStoreException.class);

        assertEquals(List.of(CallKind.PUT, CallKind.CONDITIONAL_PUT, CallKind.GET, CallKind.RANGED_GET),
                store.callKinds());
        assertEquals(EnumSet.of(Operation.PUT), FaultRule.on(CallKind.CONDITIONAL_PUT, Fault.failTransiently())
                .operations());
        assertEquals(EnumSet.allOf(CallKind.class), FaultRule.onEveryOperation(Fault.failTransiently()).kinds());
        store.clearCalls();
        assertEquals(List.of(), store.callKinds());
    }

    @Test
    void withoutRulesCallsPassThroughAndAreLogged() {
        await(store.put("a/1", bytes("one")));
        assertArrayEquals(bytes("one"), await(store.get("a/1")).data());
        assertArrayEquals(bytes("ne"), await(store.get("a/1", ByteRange.from(1))).data());
        assertEquals(3, await(store.head("a/1")).size());
        await(store.copy("a/1", "b/1"));
        assertEquals(2, await(store.list("", null, 10)).objects().size());
        await(store.delete("a/1"));

        assertEquals(List.of(new Call(Operation.PUT, "a/1"), new Call(Operation.GET, "a/1"), new Call(Operation.GET, "a/1"),
                new Call(Operation.HEAD, "a/1"), new Call(Operation.COPY, "b/1"), new Call(Operation.LIST, ""),
                new Call(Operation.DELETE, "a/1")), store.calls());
        assertEquals(List.of(new Call(Operation.GET, "a/1"), new Call(Operation.GET, "a/1")), store.calls(Operation.GET));
        store.clearCalls();
        assertEquals(List.of(), store.calls());
    }

    @Test
    void aOnceRuleFailsTheFirstMatchingCallOnly() {
        InjectedFault fault = store.inject(FaultRule.on(Operation.PUT, Fault.failTransiently())
                .forPaths(path -> path.startsWith("wal/")).once());

        await(store.put("manifest/1", bytes("m")));
        TransientObjectStoreException error = failure(store.put("wal/1", bytes("w")), TransientObjectStoreException.class);
        await(store.put("wal/1", bytes("w")));

        assertEquals("wal/1", error.path());
        assertEquals(1, fault.fired());
        assertTrue(fault.exhausted());
        assertArrayEquals(bytes("w"), await(backing.get("wal/1")).data());
    }

    @Test
    void aFailedCallNeverReachesTheWrappedStore() {
        store.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).forPath("x"));

        failure(store.put("x", bytes("1")), TransientObjectStoreException.class);

        failure(backing.head("x"), ObjectNotFoundException.class);
    }

    @Test
    void aTimesRuleFailsThatManyCallsAndAnAlwaysRuleEveryCall() {
        InjectedFault three = store.inject(FaultRule.on(Operation.GET, Fault.failTransiently()).times(3));
        InjectedFault always = store.inject(FaultRule.on(Operation.HEAD, Fault.failTransiently()).always());
        await(backing.put("k", bytes("v")));

        for (int i = 0; i < 3; i++) {
            failure(store.get("k"), TransientObjectStoreException.class);
        }
        await(store.get("k"));
        for (int i = 0; i < 5; i++) {
            failure(store.head("k"), TransientObjectStoreException.class);
        }

        assertEquals(3, three.fired());
        assertEquals(5, always.fired());
        assertFalse(always.exhausted());
    }

    @Test
    void aFailRuleUsesTheErrorItIsGiven() {
        store.inject(FaultRule.on(Operation.DELETE, Fault.fail(path -> new PermanentObjectStoreException(path, "denied", null))));
        store.inject(FaultRule.on(Operation.COPY, Fault.failPermanently()));

        PermanentObjectStoreException error = failure(store.delete("d"), PermanentObjectStoreException.class);
        assertEquals("denied", error.getMessage());
        assertEquals("d", error.path());
        assertEquals("to", failure(store.copy("from", "to"), PermanentObjectStoreException.class).path());
    }

    @Test
    void aRuleCoversOnlyItsOperations() {
        store.inject(FaultRule.on(EnumSet.of(Operation.GET, Operation.HEAD), Fault.failTransiently()));

        await(store.put("k", bytes("v")));
        failure(store.get("k"), TransientObjectStoreException.class);
        failure(store.head("k"), TransientObjectStoreException.class);
        await(store.delete("k"));
    }

    @Test
    void theFirstMatchingRuleWinsAndRulesCanBeRemoved() {
        InjectedFault first = store.inject(FaultRule.on(Operation.PUT, Fault.failPermanently()));
        store.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()));

        failure(store.put("k", bytes("v")), PermanentObjectStoreException.class);
        first.remove();
        failure(store.put("k", bytes("v")), TransientObjectStoreException.class);
        store.clearFaults();
        await(store.put("k", bytes("v")));
    }

    @Test
    void probabilisticRulesFireAboutAsOftenAsAskedAndRepeatWithTheSeed() {
        List<Boolean> first = failurePattern(new FaultInjectingObjectStore(new InMemoryObjectStore(), clock, 99));
        List<Boolean> second = failurePattern(new FaultInjectingObjectStore(new InMemoryObjectStore(), clock, 99));
        List<Boolean> otherSeed = failurePattern(new FaultInjectingObjectStore(new InMemoryObjectStore(), clock, 100));

        long failed = first.stream().filter(f -> f).count();
        assertTrue(failed > 240 && failed < 360, failed + " of 1000 calls failed at p = 0.3");
        assertEquals(first, second, "the same seed gives the same faults");
        assertFalse(first.equals(otherSeed), "another seed gives other faults");
    }

    @Test
    void aDelayHoldsTheCallBackForItsDuration() {
        store.inject(FaultRule.on(Operation.PUT, Fault.delay(Duration.ofMillis(500))).once());

        CompletableFuture<PutResult> put = store.put("k", bytes("v"));
        clock.advance(Duration.ofMillis(499));
        assertFalse(put.isDone());
        failure(backing.head("k"), ObjectNotFoundException.class);

        clock.advance(Duration.ofMillis(1));
        assertEquals(await(backing.head("k")).etag(), await(put).etag());
    }

    @Test
    void aHangFailsTransientlyAtItsTimeoutWithoutReachingTheStore() {
        store.inject(FaultRule.on(Operation.PUT, Fault.hang(Duration.ofSeconds(30))).once());

        CompletableFuture<PutResult> put = store.put("k", bytes("v"));
        clock.advance(Duration.ofSeconds(29));
        assertFalse(put.isDone());
        clock.advance(Duration.ofSeconds(1));

        TransientObjectStoreException error = failure(put, TransientObjectStoreException.class);
        assertEquals("k", error.path());
        failure(backing.head("k"), ObjectNotFoundException.class);
    }

    @Test
    void applyThenFailPerformsTheWriteButReportsATransientError() {
        store.inject(FaultRule.on(EnumSet.of(Operation.PUT, Operation.DELETE), Fault.applyThenFail()));

        TransientObjectStoreException error = failure(store.put("k", bytes("v"), PutOptions.CREATE),
                TransientObjectStoreException.class);
        assertEquals("k", error.path());
        assertArrayEquals(bytes("v"), await(backing.get("k")).data());

        failure(store.delete("k"), TransientObjectStoreException.class);
        failure(backing.head("k"), ObjectNotFoundException.class);
    }

    @Test
    void concurrentCallsShareARuleBudgetExactly() throws Exception {
        InjectedFault hundred = store.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).times(100));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> failuresPerThread = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                failuresPerThread.add(threads.submit(() -> {
                    start.await();
                    int failures = 0;
                    for (int i = 0; i < 250; i++) {
                        try {
                            store.put("t" + thread + "/" + i, new byte[1]).get(10, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            failures++;
                        }
                    }
                    return failures;
                }));
            }
            start.countDown();
            int failures = 0;
            for (Future<Integer> f : failuresPerThread) {
                failures += f.get(20, TimeUnit.SECONDS);
            }

            assertEquals(100, failures);
            assertEquals(100, hundred.fired());
            assertEquals(2000, store.calls().size());
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void withItsOwnSchedulerDelaysRunInRealTimeAndClosingFailsHungCalls() {
        InMemoryObjectStore inner = new InMemoryObjectStore();
        FaultInjectingObjectStore own = new FaultInjectingObjectStore(inner);
        own.inject(FaultRule.on(Operation.PUT, Fault.delay(Duration.ofMillis(5))).once());
        own.inject(FaultRule.on(Operation.GET, Fault.hang(Duration.ofHours(1))));

        await(own.put("k", bytes("v")));
        CompletableFuture<GetResult> hung = own.get("k");
        own.close();

        failure(hung, SchedulerClosedException.class);
        StoreFutures.assertClosed(inner);
    }

    @Test
    void closingClosesTheWrappedStore() {
        store.close();

        StoreFutures.assertClosed(backing);
    }

    @Test
    void rulesAreValidated() {
        Fault fault = Fault.failTransiently();
        assertThrows(IllegalArgumentException.class, () -> FaultRule.on(Operation.GET, fault).times(0));
        assertThrows(IllegalArgumentException.class, () -> FaultRule.on(Operation.GET, fault).withProbability(0));
        assertThrows(IllegalArgumentException.class, () -> FaultRule.on(Operation.GET, fault).withProbability(1.5));
        assertThrows(IllegalArgumentException.class, () -> FaultRule.on(Set.of(), fault));
        assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ofMillis(-1)));
        assertSame(fault, FaultRule.onEveryOperation(fault).fault());
    }

    private static List<Boolean> failurePattern(FaultInjectingObjectStore faulty) {
        await(faulty.put("x", bytes("v")));
        faulty.inject(FaultRule.on(Operation.HEAD, Fault.failTransiently()).withProbability(0.3));
        List<Boolean> pattern = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // The map-backed store completes at once, so every call's outcome is known on return.
            pattern.add(faulty.head("x").isCompletedExceptionally());
        }
        return pattern;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
