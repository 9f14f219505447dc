package io.slatedb.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SimpleMetricRegistryTest {

    private static final long WAIT_SECONDS = 20;

    private final SimpleMetricRegistry registry = new SimpleMetricRegistry();

    @Test
    void countersAddUpAndOneNameIsOneCounter() {
        Counter puts = registry.counter("db.put.count", "puts");
        puts.increment();
        puts.add(41);

        Counter again = registry.counter("db.put.count", "another description");

        assertSame(puts, again);
        assertEquals(42, again.count());
        assertEquals(Optional.of("puts"), registry.description("db.put.count"), "the first description stays");
    }

    @Test
    void aCounterRefusesToGoDown() {
        Counter counter = registry.counter("c", "c");
        counter.add(0);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> counter.add(-1));

        assertTrue(error.getMessage().contains("-1"), error.getMessage());
        assertEquals(0, counter.count());
    }

    @Test
    void timersKeepCountTotalAndMax() {
        SimpleTimer latency = registry.timer("object_store.get.latency", "get latency");
        assertEquals(0, latency.maxNanos());

        latency.record(300);
        latency.record(1_000);
        latency.record(0);
        latency.record(20);

        assertSame(latency, registry.timer("object_store.get.latency", "get latency"));
        assertEquals(4, latency.count());
        assertEquals(1_320, latency.totalNanos());
        assertEquals(1_000, latency.maxNanos());
        assertThrows(IllegalArgumentException.class, () -> latency.record(-5));
        assertEquals(4, latency.count());
    }

    @Test
    void aGaugeIsReadAtEachSnapshotAndKeepsItsFirstSupplier() {
        AtomicLong cached = new AtomicLong(10);
        registry.gauge("cache.bytes", "bytes in the cache", cached::get);
        registry.gauge("cache.bytes", "ignored", () -> -1);

        assertEquals(10L, registry.snapshot().get("cache.bytes"));
        cached.set(25);
        assertEquals(25L, registry.snapshot().get("cache.bytes"));
        assertEquals(Optional.of("bytes in the cache"), registry.description("cache.bytes"));
    }

    @Test
    void theSnapshotHoldsEveryValueSortedByName() {
        registry.counter("z.count", "z").add(3);
        SimpleTimer timer = registry.timer("b.latency", "b");
        timer.record(7);
        timer.record(5);
        registry.gauge("a.size", "a", () -> 99);

        SortedMap<String, Long> snapshot = registry.snapshot();

        assertEquals(List.of("a.size", "b.latency.count", "b.latency.max_nanos", "b.latency.total_nanos", "z.count"),
                List.copyOf(snapshot.keySet()));
        assertEquals(Map.of("a.size", 99L, "b.latency.count", 2L, "b.latency.max_nanos", 7L,
                "b.latency.total_nanos", 12L, "z.count", 3L), snapshot);
    }

    @Test
    void theSnapshotIsAnImmutableCopy() {
        Counter counter = registry.counter("c", "c");
        counter.add(1);
        SortedMap<String, Long> before = registry.snapshot();

        counter.add(1);

        assertEquals(1L, before.get("c"));
        assertEquals(2L, registry.snapshot().get("c"));
        assertThrows(UnsupportedOperationException.class, () -> before.put("c", 5L));
        assertThrows(UnsupportedOperationException.class, () -> before.remove("c"));
    }

    @Test
    void aThrowingGaugeIsLeftOutAndTheRestIsStillReported() {
        registry.gauge("broken", "closed cache", () -> {
            throw new IllegalStateException("closed");
        });
        registry.counter("fine", "fine").add(2);

        assertEquals(Map.of("fine", 2L), registry.snapshot());
    }

    @Test
    void anEmptyRegistryHasAnEmptySnapshot() {
        assertEquals(Map.of(), registry.snapshot());
        assertEquals(Optional.empty(), registry.description("anything"));
    }

    @Test
    void aNameKeepsItsKind() {
        registry.counter("x", "a counter");
        registry.timer("t", "a timer");
        registry.gauge("g", "a gauge", () -> 1);

        assertClash("x", "counter", () -> registry.timer("x", "d"));
        assertClash("x", "counter", () -> registry.gauge("x", "d", () -> 0));
        assertClash("t", "timer", () -> registry.counter("t", "d"));
        assertClash("t", "timer", () -> registry.gauge("t", "d", () -> 0));
        assertClash("g", "gauge", () -> registry.counter("g", "d"));
        assertClash("g", "gauge", () -> registry.timer("g", "d"));
        assertEquals(Map.of("x", 0L, "t.count", 0L, "t.total_nanos", 0L, "t.max_nanos", 0L, "g", 1L),
                registry.snapshot(), "refused names leave the registry as it was");
    }

    @Test
    void aNameThatWouldCollideWithATimersSnapshotNamesIsRefused() {
        registry.timer("get.latency", "get latency");

        IllegalArgumentException counter = assertThrows(IllegalArgumentException.class,
                () -> registry.counter("get.latency.count", "d"));
        IllegalArgumentException gauge = assertThrows(IllegalArgumentException.class,
                () -> registry.gauge("get.latency.max_nanos", "d", () -> 0));

        assertTrue(counter.getMessage().contains("get.latency.count")
                && counter.getMessage().contains("'get.latency'"), counter.getMessage());
        assertTrue(gauge.getMessage().contains("get.latency.max_nanos"), gauge.getMessage());
        assertEquals(Optional.empty(), registry.description("get.latency.count"));
    }

    @Test
    void aTimerWhoseSnapshotNamesAreTakenIsRefused() {
        registry.counter("put.latency.total_nanos", "d");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> registry.timer("put.latency", "d"));

        assertTrue(error.getMessage().contains("put.latency.total_nanos"), error.getMessage());
        assertEquals(Optional.empty(), registry.description("put.latency"));
        assertEquals(Map.of("put.latency.total_nanos", 0L), registry.snapshot());
        // The refusal took no names: a timer that does not collide still registers.
        registry.timer("put.latency.total_nanos_by_op", "d");
    }

    @Test
    void namesAreLowerCaseDottedSegments() {
        for (String valid : List.of("a", "db.put.count", "object_store.get.latency", "l0.sst_count", "_", "9")) {
            registry.counter(valid, "valid");
        }
        for (String invalid : List.of("", ".", "a.", ".a", "a..b", "DB.put", "db-put", "db put", "db/put", "é")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> registry.counter(invalid, "invalid"), invalid);
            assertTrue(error.getMessage().contains("'" + invalid + "'"), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> registry.timer(invalid, "invalid"), invalid);
            assertThrows(IllegalArgumentException.class, () -> registry.gauge(invalid, "invalid", () -> 0), invalid);
        }
        assertEquals(6, registry.snapshot().size());
    }

    @Test
    void nullsAreRefusedAtTheCall() {
        assertThrows(NullPointerException.class, () -> registry.counter(null, "d"));
        assertThrows(NullPointerException.class, () -> registry.counter("c", null));
        assertThrows(NullPointerException.class, () -> registry.timer("t", null));
        assertThrows(NullPointerException.class, () -> registry.gauge("g", "d", null));
        assertThrows(NullPointerException.class, () -> registry.description(null));
        assertEquals(Map.of(), registry.snapshot());
    }

    @Test
    void countersAndTimersAddUpAcrossThreads() throws Exception {
        int threads = 8;
        int perThread = 50_000;
        Counter counter = registry.counter("writes", "writes");
        SimpleTimer timer = registry.timer("write.latency", "latency");

        runTogether(threads, thread -> {
            for (int i = 1; i <= perThread; i++) {
                counter.increment();
                timer.record(thread * perThread + i);
            }
            return null;
        });

        long total = (long) threads * perThread;
        assertEquals(total, counter.count());
        assertEquals(total, timer.count());
        assertEquals(total * (total + 1) / 2, timer.totalNanos(), "the sum of 1..n");
        assertEquals(total, timer.maxNanos());
    }

    @Test
    void threadsAskingForOneNameAtOnceGetOneInstrument() throws Exception {
        int threads = 8;

        List<Object> counters = runTogether(threads, thread -> registry.counter("shared.counter", "d" + thread));
        List<Object> timers = runTogether(threads, thread -> registry.timer("shared.timer", "d" + thread));

        for (int i = 1; i < threads; i++) {
            assertSame(counters.get(0), counters.get(i));
            assertSame(timers.get(0), timers.get(i));
        }
    }

    @Test
    void snapshotsWhileCountingNeverGoBackwards() throws Exception {
        Counter counter = registry.counter("ticks", "ticks");
        int increments = 200_000;

        List<Object> results = runTogether(2, thread -> {
            if (thread == 0) {
                for (int i = 0; i < increments; i++) {
                    counter.increment();
                }
                return null;
            }
            long last = 0;
            while (last < increments && !Thread.currentThread().isInterrupted()) {
                long now = registry.snapshot().get("ticks");
                assertTrue(now >= last, now + " after " + last);
                last = now;
            }
            return last;
        });

        assertEquals((long) increments, results.get(1));
    }

    private interface PerThread {
        Object run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads released together; their results, by thread. */
    private static List<Object> runTogether(int threads, PerThread task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Object> call = () -> {
                    ready.countDown();
                    assertTrue(go.await(WAIT_SECONDS, TimeUnit.SECONDS), "start signal");
                    return task.run(thread);
                };
                futures.add(executor.submit(call));
            }
            assertTrue(ready.await(WAIT_SECONDS, TimeUnit.SECONDS), "threads ready");
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> future : futures) {
                results.add(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }

    private static void assertClash(String name, String existingKind, Executable call) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertTrue(error.getMessage().contains("'" + name + "'") && error.getMessage().contains(existingKind),
                error.getMessage());
    }
}
