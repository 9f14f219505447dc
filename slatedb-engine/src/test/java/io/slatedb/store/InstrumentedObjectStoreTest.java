package io.slatedb.store;

import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.metrics.Counter;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.Timer;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.ManualDelayScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import static io.slatedb.store.StoreFutures.await;
import static io.slatedb.store.StoreFutures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InstrumentedObjectStore} over a map-backed store, with faults injected beneath it and its
 * latency measured on the virtual clock that also times the injected delays.
 */
@Timeout(30)
class InstrumentedObjectStoreTest {

    private static final List<String> OPERATIONS = List.of("put", "get", "head", "list", "delete", "copy");

    private final ManualDelayScheduler clock = new ManualDelayScheduler();
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(backing, clock, 5);
    private final SimpleMetricRegistry registry = new SimpleMetricRegistry();
    private final InstrumentedObjectStore store = new InstrumentedObjectStore(faulty, registry, clock::nanoTime);

    @AfterEach
    void close() {
        store.close();
        clock.close();
    }

    @Test
    void registersEveryInstrumentAtConstruction() {
        Map<String, Long> expected = new TreeMap<>();
        for (String op : OPERATIONS) {
            expected.put("object_store." + op + ".requests", 0L);
            expected.put("object_store." + op + ".errors", 0L);
            expected.put("object_store." + op + ".latency.count", 0L);
            expected.put("object_store." + op + ".latency.total_nanos", 0L);
            expected.put("object_store." + op + ".latency.max_nanos", 0L);
        }
        expected.put("object_store.bytes_read", 0L);
        expected.put("object_store.bytes_written", 0L);

        assertEquals(expected, registry.snapshot());
        assertTrue(registry.description("object_store.get.latency").orElseThrow().contains("failure"));
    }

    @Test
    void immutableReadsAreRecordedAsGets() {
        SimpleMetricRegistry own = new SimpleMetricRegistry();
        try (InstrumentedObjectStore counted = new InstrumentedObjectStore(new InMemoryObjectStore(), own)) {
            counted.put("sst", new byte[10]).join();
            ImmutableReads reads = counted.immutableReads().orElseThrow();

            assertEquals(4, reads.read("sst", 2, 6).length);
            assertThrows(ObjectNotFoundException.class, () -> reads.read("missing", 0, 1));

            Map<String, Long> seen = own.snapshot();
            assertEquals(2L, seen.get("object_store.get.requests"));
            assertEquals(1L, seen.get("object_store.get.errors"));
            assertEquals(2L, seen.get("object_store.get.latency.count"));
            assertEquals(4L, seen.get("object_store.bytes_read"));
        }
        assertTrue(store.immutableReads().isEmpty(), "a wrapper that does not offer them hides them");
    }

    @Test
    void callsOnlyUpdateTheInstrumentsTheConstructorAskedFor() {
        RegistrationLog log = new RegistrationLog();
        try (InstrumentedObjectStore counted = new InstrumentedObjectStore(new InMemoryObjectStore(), log)) {
            int registered = log.names.size();
            assertEquals(OPERATIONS.size() * 3 + 2, registered);

            exerciseEveryOperation(counted);
            exerciseEveryOperation(counted);

            assertEquals(registered, log.names.size(), "no instrument asked for after construction: " + log.names);
        }
    }

    @Test
    void countsEachOperationItsBytesAndItsLatency() {
        exerciseEveryOperation(store);

        Map<String, Long> values = registry.snapshot();
        for (String op : OPERATIONS) {
            long calls = op.equals("get") ? 2 : 1; // a whole and a ranged get
            assertEquals(calls, values.get("object_store." + op + ".requests"), op);
            assertEquals(0L, values.get("object_store." + op + ".errors"), op);
            assertEquals(calls, values.get("object_store." + op + ".latency.count"), op);
        }
        assertEquals(5L + 3L, values.get("object_store.bytes_read"), "\"hello\" whole, then bytes 1..3");
        assertEquals(5L, values.get("object_store.bytes_written"));
    }

    @Test
    void latencyRunsFromTheCallToTheOutcome() {
        faulty.inject(FaultRule.on(Operation.HEAD, Fault.delay(Duration.ofMillis(250))).once());
        faulty.inject(FaultRule.on(Operation.HEAD, Fault.delay(Duration.ofMillis(40))).once());
        await(backing.put("k", bytes("v")));

        CompletableFuture<ObjectMetadata> slow = store.head("k");
        clock.advance(Duration.ofMillis(250));
        await(slow);
        CompletableFuture<ObjectMetadata> fast = store.head("k");
        clock.advance(Duration.ofMillis(40));
        await(fast);

        LatencyValues head = timer("head");
        assertEquals(2, head.count());
        assertEquals(Duration.ofMillis(290).toNanos(), head.totalNanos());
        assertEquals(Duration.ofMillis(250).toNanos(), head.maxNanos());
    }

    @Test
    void aCallStillInFlightIsARequestButNotYetALatency() {
        faulty.inject(FaultRule.on(Operation.LIST, Fault.delay(Duration.ofSeconds(1))));

        CompletableFuture<ListPage> pending = store.list("", null, 10);

        assertEquals(1L, registry.snapshot().get("object_store.list.requests"));
        assertEquals(0L, registry.snapshot().get("object_store.list.latency.count"));
        clock.advance(Duration.ofSeconds(1));
        await(pending);
        assertEquals(1L, registry.snapshot().get("object_store.list.latency.count"));
    }

    @Test
    void failuresAreErrorsAndTheirLatencyIsRecorded() {
        faulty.inject(FaultRule.on(Operation.GET, Fault.hang(Duration.ofSeconds(5))).once());
        faulty.inject(FaultRule.on(Operation.PUT, Fault.failPermanently()).once());
        await(backing.put("k", bytes("value")));

        CompletableFuture<GetResult> hung = store.get("k");
        clock.advance(Duration.ofSeconds(5));
        failure(hung, TransientObjectStoreException.class);
        failure(store.put("k", bytes("new value")), PermanentObjectStoreException.class);
        await(store.get("k"));

        Map<String, Long> values = registry.snapshot();
        assertEquals(2L, values.get("object_store.get.requests"));
        assertEquals(1L, values.get("object_store.get.errors"));
        assertEquals(2L, values.get("object_store.get.latency.count"));
        assertEquals(Duration.ofSeconds(5).toNanos(), values.get("object_store.get.latency.max_nanos"));
        assertEquals(1L, values.get("object_store.put.requests"));
        assertEquals(1L, values.get("object_store.put.errors"));
        assertEquals(1L, values.get("object_store.put.latency.count"));
        assertEquals(5L, values.get("object_store.bytes_read"), "only the get that succeeded read bytes");
        assertEquals(0L, values.get("object_store.bytes_written"), "the failed put wrote nothing");
    }

    @Test
    void answersOfTheStoreCountAsErrorsToo() {
        failure(store.get("missing"), ObjectNotFoundException.class);
        failure(store.head("missing"), ObjectNotFoundException.class);
        await(store.put("k", bytes("v"), PutOptions.of(PutMode.CREATE)));
        failure(store.put("k", bytes("v"), PutOptions.of(PutMode.CREATE)), ObjectAlreadyExistsException.class);
        failure(store.copy("missing", "elsewhere"), ObjectNotFoundException.class);

        Map<String, Long> values = registry.snapshot();
        assertEquals(1L, values.get("object_store.get.errors"));
        assertEquals(1L, values.get("object_store.head.errors"));
        assertEquals(2L, values.get("object_store.put.requests"));
        assertEquals(1L, values.get("object_store.put.errors"));
        assertEquals(1L, values.get("object_store.copy.errors"));
        assertEquals(1L, values.get("object_store.bytes_written"), "the create that won");
    }

    @Test
    void aWriteWhoseAnswerWasLostIsAnErrorAndNotWrittenBytes() {
        faulty.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        failure(store.put("k", bytes("stored")), TransientObjectStoreException.class);

        assertEquals(6, await(backing.get("k")).data().length, "the write reached the store");
        assertEquals(1L, registry.snapshot().get("object_store.put.errors"));
        assertEquals(0L, registry.snapshot().get("object_store.bytes_written"), "the caller saw a failure");
    }

    @Test
    void failuresReachTheCallerUnwrapped() {
        faulty.inject(FaultRule.on(Operation.DELETE, Fault.failTransiently()).once());

        Throwable seen = store.delete("k").handle((value, error) -> error).join();

        assertInstanceOf(TransientObjectStoreException.class, seen, "no CompletionException around it: " + seen);
        assertEquals("k", ((TransientObjectStoreException) seen).path());
    }

    @Test
    void aCallThatThrowsIsAFailedRequestAndTheExceptionPassesOn() {
        // Directly over the map-backed store, which throws at the call for null data as the contract says.
        SimpleMetricRegistry direct = new SimpleMetricRegistry();
        try (InstrumentedObjectStore over = new InstrumentedObjectStore(new InMemoryObjectStore(), direct)) {
            assertThrows(NullPointerException.class, () -> over.put("k", null, PutOptions.OVERWRITE));
        }

        Map<String, Long> values = direct.snapshot();
        assertEquals(1L, values.get("object_store.put.requests"));
        assertEquals(1L, values.get("object_store.put.errors"));
        assertEquals(1L, values.get("object_store.put.latency.count"));
    }

    @Test
    void listingEveryPageCountsEachPage() {
        for (int i = 0; i < 5; i++) {
            await(backing.put("p/" + i, bytes("x")));
        }

        assertEquals(5, await(store.listAll("p/", 2)).size());

        assertEquals(3L, registry.snapshot().get("object_store.list.requests"));
    }

    @Test
    void describesAndClosesTheWrappedStore() {
        assertEquals(faulty.describe(), store.describe());
        assertTrue(store.toString().contains(faulty.toString()));

        store.close();
        store.close();

        StoreFutures.assertClosed(backing);
    }

    @Test
    void aMetricBridgeThatThrowsDoesNotLoseTheAnswer() {
        MetricRegistry throwing = new RegistrationLog() {
            @Override
            public Timer timer(String name, String description) {
                return new Timer() {
                    @Override
                    public void record(long nanos) {
                        throw new IllegalStateException("bridge down");
                    }

                    @Override
                    public long count() {
                        return 0;
                    }

                    @Override
                    public long totalNanos() {
                        return 0;
                    }
                };
            }
        };
        try (InstrumentedObjectStore bridged = new InstrumentedObjectStore(new InMemoryObjectStore(), throwing)) {
            await(bridged.put("k", bytes("v")));
            assertEquals(1, await(bridged.get("k")).data().length);
            failure(bridged.get("missing"), ObjectNotFoundException.class);
        }
    }

    @Test
    void worksWithTheRegistryThatRecordsNothing() {
        try (InstrumentedObjectStore quiet = new InstrumentedObjectStore(new InMemoryObjectStore(), MetricRegistry.NOOP)) {
            exerciseEveryOperation(quiet);
            assertFalse(quiet.describe().isEmpty());
        }
    }

    @Test
    void timesWithTheSystemClockByDefault() {
        SimpleMetricRegistry real = new SimpleMetricRegistry();
        try (InstrumentedObjectStore timed = new InstrumentedObjectStore(new InMemoryObjectStore(), real)) {
            await(timed.put("k", bytes("v")));
        }
        assertEquals(1L, real.snapshot().get("object_store.put.latency.count"));
        assertTrue(real.snapshot().get("object_store.put.latency.total_nanos") >= 0);
    }

    /** One of each operation, all succeeding: a put of "hello", a whole and a ranged get, and the rest. */
    private static void exerciseEveryOperation(ObjectStore target) {
        await(target.put("a/k", bytes("hello")));
        await(target.get("a/k"));
        await(target.get("a/k", ByteRange.of(1, 3)));
        await(target.head("a/k"));
        await(target.list("a/", null, 10));
        await(target.copy("a/k", "b/k"));
        await(target.delete("b/k"));
    }

    private record LatencyValues(long count, long totalNanos, long maxNanos) {
    }

    private LatencyValues timer(String op) {
        Map<String, Long> values = registry.snapshot();
        String prefix = "object_store." + op + ".latency.";
        return new LatencyValues(values.get(prefix + "count"), values.get(prefix + "total_nanos"),
                values.get(prefix + "max_nanos"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A registry that logs every request for an instrument and hands out working ones. */
    private static class RegistrationLog implements MetricRegistry {
        final List<String> names = new ArrayList<>();
        private final SimpleMetricRegistry backing = new SimpleMetricRegistry();

        @Override
        public synchronized Counter counter(String name, String description) {
            names.add(name);
            return backing.counter(name, description);
        }

        @Override
        public synchronized void gauge(String name, String description, LongSupplier value) {
            names.add(name);
            backing.gauge(name, description, value);
        }

        @Override
        public synchronized Timer timer(String name, String description) {
            names.add(name);
            return backing.timer(name, description);
        }
    }
}
