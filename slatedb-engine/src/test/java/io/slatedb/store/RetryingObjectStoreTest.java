package io.slatedb.store;

import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.ForwardingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Call;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.ManualDelayScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static io.slatedb.store.StoreFutures.await;
import static io.slatedb.store.StoreFutures.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RetryingObjectStore} over a map-backed store with scripted faults, on a virtual clock: no test
 * waits for real backoff.
 */
@Timeout(30)
class RetryingObjectStoreTest {

    /** Jitter that always draws (almost exactly) the top of the range, so waits equal their caps. */
    private static final RandomGenerator TOP_OF_RANGE = () -> -1L;

    private final ManualDelayScheduler clock = new ManualDelayScheduler();
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore faults = new FaultInjectingObjectStore(backing, clock, 7);
    private RetryingObjectStore store = retrying(RetryPolicy.DEFAULT, TOP_OF_RANGE);

    @AfterEach
    void close() {
        store.close();
        clock.close();
    }

    // --- what is retried ---

    @Test
    void transientFailuresAreRetriedUntilTheCallSucceeds() {
        await(backing.put("k", bytes("v")));
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()).times(3));

        GetResult got = drive(store.get("k"));

        assertArrayEquals(bytes("v"), got.data());
        assertEquals(4, faults.calls(Operation.GET).size());
        assertEquals(3, clock.requestedDelays().size());
    }

    @Test
    void everyOperationIsRetried() {
        await(backing.put("src", bytes("0123456789")));
        for (Operation operation : Operation.values()) {
            faults.inject(FaultRule.on(operation, Fault.failTransiently()).once());
        }

        drive(store.put("p", bytes("x")));
        assertArrayEquals(bytes("234"), drive(store.get("src", ByteRange.of(2, 3))).data());
        assertEquals(10, drive(store.head("src")).size());
        assertEquals(2, drive(store.list("", null, 10)).objects().size());
        drive(store.copy("src", "dst"));
        drive(store.delete("p"));
        assertArrayEquals(bytes("0123456789"), drive(store.get("dst")).data());

        assertEquals(6, clock.requestedDelays().size(), "one retry for the first call of each operation");
        for (Operation operation : Operation.values()) {
            assertTrue(faults.calls(operation).size() >= 2, operation + " was retried");
        }
    }

    @Test
    void notFoundAlreadyExistsPreconditionFailedAndPermanentFailuresAreNotRetried() {
        await(backing.put("exists", bytes("v")));
        PutResult stale = await(backing.put("cas", bytes("1")));
        await(backing.put("cas", bytes("2")));

        failure(store.get("missing"), ObjectNotFoundException.class);
        failure(store.put("exists", bytes("w"), PutOptions.CREATE), ObjectAlreadyExistsException.class);
        failure(store.put("cas", bytes("3"), PutOptions.of(PutMode.ifMatch(stale.etag()))),
                PreconditionFailedException.class);
        faults.inject(FaultRule.on(Operation.DELETE, Fault.failPermanently()));
        failure(store.delete("exists"), PermanentObjectStoreException.class);

        assertEquals(List.of(), clock.requestedDelays());
        assertEquals(List.of(new Call(Operation.GET, "missing"), new Call(Operation.PUT, "exists"),
                new Call(Operation.PUT, "cas"), new Call(Operation.DELETE, "exists")), faults.calls());
    }

    @Test
    void failuresThatAreNotStoreErrorsAreNotRetried() {
        IllegalStateException bug = new IllegalStateException("bug");
        faults.inject(FaultRule.on(Operation.HEAD, Fault.fail(path -> bug)));

        assertSame(bug, failure(store.head("x"), IllegalStateException.class));
        assertEquals(1, faults.calls().size());
    }

    @Test
    void anUnconditionalPutIsRetriedAsItIsEvenIfItWasStored() {
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        PutResult put = drive(store.put("wal/1.sst", bytes("data")));

        assertEquals(await(backing.head("wal/1.sst")).etag(), put.etag());
        assertEquals(List.of(new Call(Operation.PUT, "wal/1.sst"), new Call(Operation.PUT, "wal/1.sst")), faults.calls());
        assertEquals(Map.of(), await(backing.head("wal/1.sst")).userMetadata(), "unconditional puts are not tagged");
    }

    // --- ambiguous conditional puts ---

    @Test
    void conditionalPutsCarryAFreshPutIdBesideTheCallersMetadata() {
        await(store.put("a", bytes("1"), new PutOptions(PutMode.CREATE, Map.of("owner", "me"))));
        PutResult b = await(store.put("b", bytes("1"), PutOptions.CREATE));
        await(store.put("b", bytes("2"), PutOptions.of(PutMode.ifMatch(b.etag()))));

        Map<String, String> a = await(backing.head("a")).userMetadata();
        String idA = a.get(RetryingObjectStore.PUT_ID_METADATA);
        String idB = await(backing.head("b")).userMetadata().get(RetryingObjectStore.PUT_ID_METADATA);
        assertEquals("me", a.get("owner"));
        assertNotNull(idA);
        assertNotNull(idB);
        assertNotEquals(idA, idB);
    }

    @Test
    void aCreateWhoseFirstAttemptWasStoredButReportedAnErrorSucceeds() {
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        PutResult put = drive(store.put("manifest/2.manifest", bytes("mine"), PutOptions.CREATE));

        ObjectMetadata stored = await(backing.head("manifest/2.manifest"));
        assertEquals(stored.etag(), put.etag());
        assertArrayEquals(bytes("mine"), await(backing.get("manifest/2.manifest")).data());
        assertEquals(List.of(new Call(Operation.PUT, "manifest/2.manifest"), new Call(Operation.PUT, "manifest/2.manifest"),
                new Call(Operation.HEAD, "manifest/2.manifest")), faults.calls());
    }

    @Test
    void nestedRetryingStoresRecogniseTheirOwnEarlierAttemptByTheOuterPutId() {
        // A caller's retrying store under a handle's, with a wrapper between them that hides the inner one: the
        // inner store gives up after one attempt whose put was stored, and the outer store's retry meets it.
        RetryingObjectStore inner = new RetryingObjectStore(faults, RetryPolicy.DEFAULT.withMaxAttempts(1), clock,
                TOP_OF_RANGE);
        ObjectStore between = new ForwardingObjectStore(inner, "between") {
        };
        RetryingObjectStore outer = new RetryingObjectStore(between, RetryPolicy.DEFAULT, clock, TOP_OF_RANGE);
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        PutResult put = drive(outer.put("wal/2.sst", bytes("mine"), PutOptions.CREATE));

        assertEquals(await(backing.head("wal/2.sst")).etag(), put.etag());
        assertArrayEquals(bytes("mine"), await(backing.get("wal/2.sst")).data());
    }

    @Test
    void anIfMatchPutWhoseFirstAttemptWasStoredButReportedAnErrorSucceeds() {
        PutResult current = await(backing.put("gc/manifest.boundary", bytes("1")));
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        PutResult put = drive(store.put("gc/manifest.boundary", bytes("2"), PutOptions.of(PutMode.ifMatch(current.etag()))));

        assertEquals(await(backing.head("gc/manifest.boundary")).etag(), put.etag());
        assertArrayEquals(bytes("2"), await(backing.get("gc/manifest.boundary")).data());
    }

    @Test
    void aConflictFromAnotherWriterOnARetryIsSurfaced() {
        faults.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).once());
        CompletableFuture<PutResult> mine = store.put("wal/7.sst", bytes("mine"), PutOptions.CREATE);
        // While this writer waits to retry, another one creates the object with its own put id.
        await(backing.put("wal/7.sst", bytes("theirs"),
                new PutOptions(PutMode.CREATE, Map.of(RetryingObjectStore.PUT_ID_METADATA, "someone-else"))));

        ObjectAlreadyExistsException conflict = driveToFailure(mine, ObjectAlreadyExistsException.class);

        assertEquals("wal/7.sst", conflict.path());
        assertArrayEquals(bytes("theirs"), await(backing.get("wal/7.sst")).data());
        assertEquals(Operation.HEAD, faults.calls().get(faults.calls().size() - 1).operation(), "it checked the put id");
    }

    @Test
    void aConflictOnTheFirstAttemptIsSurfacedWithoutReadingTheObject() {
        await(backing.put("taken", bytes("x")));

        failure(store.put("taken", bytes("y"), PutOptions.CREATE), ObjectAlreadyExistsException.class);

        assertEquals(List.of(new Call(Operation.PUT, "taken")), faults.calls());
    }

    @Test
    void whenTheObjectIsGoneAtTheCheckTheConflictIsSurfaced() {
        PutResult stale = await(backing.put("cas", bytes("1")));
        await(backing.put("cas", bytes("2")));
        faults.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).once());
        faults.inject(FaultRule.on(Operation.HEAD, Fault.fail(ObjectNotFoundException::new)).once());

        driveToFailure(store.put("cas", bytes("3"), PutOptions.of(PutMode.ifMatch(stale.etag()))),
                PreconditionFailedException.class);
    }

    @Test
    void whenTheCheckItselfFailsTheOutcomeIsReportedAsUnknownAndTransient() {
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());
        faults.inject(FaultRule.on(Operation.HEAD, Fault.failPermanently()).once());

        TransientObjectStoreException unknown = driveToFailure(store.put("x", bytes("1"), PutOptions.CREATE),
                TransientObjectStoreException.class);

        assertEquals("x", unknown.path());
        assertTrue(unknown.getCause() instanceof PermanentObjectStoreException, String.valueOf(unknown.getCause()));
        assertTrue(unknown.getSuppressed()[0] instanceof ObjectAlreadyExistsException);
    }

    // --- limits ---

    @Test
    void boundedAttemptsGiveUpWithTheLastError() {
        store = retrying(RetryPolicy.DEFAULT.withMaxAttempts(3), TOP_OF_RANGE);
        AtomicInteger failures = new AtomicInteger();
        faults.inject(FaultRule.on(Operation.GET, Fault.fail(path ->
                new TransientObjectStoreException(path, "failure #" + failures.incrementAndGet(), null))));

        TransientObjectStoreException last = driveToFailure(store.get("k"), TransientObjectStoreException.class);

        assertEquals("failure #3", last.getMessage());
        assertEquals(3, faults.calls().size());
        assertEquals(2, clock.requestedDelays().size());
    }

    @Test
    void noRetryStartsAfterTheDeadline() {
        store = retrying(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(1)), TOP_OF_RANGE);
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));

        driveToFailure(store.get("k"), TransientObjectStoreException.class);

        // Waits of 100 + 200 + 400 ms fit into 1 s; the next (800 ms) would end past it.
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)),
                clock.requestedDelays());
        assertEquals(4, faults.calls().size());
        assertEquals(Duration.ofMillis(700).toNanos(), clock.nanoTime());
    }

    // --- backoff ---

    @Test
    void backoffDoublesFromOneHundredMillisecondsUpToOneSecond() {
        store = retrying(RetryPolicy.DEFAULT.withMaxAttempts(8), TOP_OF_RANGE);
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));

        driveToFailure(store.get("k"), TransientObjectStoreException.class);

        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L),
                clock.requestedDelays().stream().map(Duration::toMillis).toList());
    }

    @Test
    void backoffIsJitteredBelowItsCap() {
        store = retrying(RetryPolicy.DEFAULT.withMaxAttempts(41), new SplittableRandom(42));
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));

        driveToFailure(store.get("k"), TransientObjectStoreException.class);

        List<Duration> delays = clock.requestedDelays();
        assertEquals(40, delays.size());
        for (int i = 0; i < delays.size(); i++) {
            Duration cap = RetryPolicy.DEFAULT.backoffCap(i + 1);
            assertTrue(!delays.get(i).isNegative() && delays.get(i).compareTo(cap) <= 0, delays.get(i) + " > " + cap);
        }
        assertTrue(delays.stream().distinct().count() > 30, "jittered waits differ: " + delays);
        // Full jitter draws the last 36 waits (cap 1 s) uniformly from [0, 1 s]: their mean is near 500 ms.
        double meanMillis = delays.subList(4, 40).stream().mapToLong(Duration::toMillis).average().orElseThrow();
        assertTrue(meanMillis > 300 && meanMillis < 700, "mean " + meanMillis);
    }

    @Test
    void retryPolicyCapsAndValidation() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        assertEquals(Duration.ofMillis(100), policy.backoffCap(1));
        assertEquals(Duration.ofMillis(800), policy.backoffCap(4));
        assertEquals(Duration.ofSeconds(1), policy.backoffCap(5));
        assertEquals(Duration.ofSeconds(1), policy.backoffCap(Integer.MAX_VALUE), "no overflow");
        assertEquals(RetryPolicy.UNLIMITED_ATTEMPTS, policy.maxAttempts());
        assertEquals(null, policy.deadline());
        assertEquals(Duration.ZERO, policy.backoff(3, () -> 0L));
        assertThrows(IllegalArgumentException.class, () -> policy.backoffCap(0));
        assertThrows(IllegalArgumentException.class, () -> policy.withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> policy.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> policy.withBackoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> policy.withDeadline(Duration.ofSeconds(-1)));
    }

    // --- lifecycle ---

    @Test
    void closingFailsCallsWaitingToRetryAndClosesTheWrappedStore() {
        faults.inject(FaultRule.on(Operation.GET, Fault.failTransiently()));
        CompletableFuture<GetResult> waiting = store.get("k");
        assertEquals(1, clock.pending());

        store.close();

        PermanentObjectStoreException closed = failure(waiting, PermanentObjectStoreException.class);
        assertTrue(closed.getCause() instanceof TransientObjectStoreException, "the last failure is the cause");
        StoreFutures.assertClosed(backing);
    }

    @Test
    void withItsOwnSchedulerItRetriesInRealTime() {
        faults.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).times(2));
        RetryingObjectStore real = new RetryingObjectStore(faults,
                RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)));
        try {
            await(real.put("k", bytes("v")));
            assertEquals(3, faults.calls(Operation.PUT).size());
        } finally {
            real.close();
        }
    }

    private RetryingObjectStore retrying(RetryPolicy policy, RandomGenerator random) {
        return new RetryingObjectStore(faults, policy, clock, random);
    }

    /** Runs the virtual clock until {@code future} is done, and returns its value. */
    private <T> T drive(CompletableFuture<T> future) {
        runClock(future);
        return await(future);
    }

    /** Runs the virtual clock until {@code future} is done, and returns its failure. */
    private <E extends Throwable> E driveToFailure(CompletableFuture<?> future, Class<E> type) {
        runClock(future);
        return failure(future, type);
    }

    private void runClock(CompletableFuture<?> future) {
        int steps = 0;
        while (!future.isDone() && clock.advanceToNext()) {
            assertTrue(++steps < 10_000, "the retries do not end");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
