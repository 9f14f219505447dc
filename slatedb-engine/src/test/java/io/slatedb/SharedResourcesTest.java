package io.slatedb;

import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedResourcesTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final SimpleMetricRegistry sharedMetrics = new SimpleMetricRegistry();
    private final SharedResources shared = SharedResources.builder()
            .withIoThreads(2)
            .withCompactionThreads(1)
            .withBlockCacheBytes(1 << 20)
            .withMetaCacheBytes(1 << 20)
            .withMetrics(sharedMetrics)
            .build();

    @AfterEach
    void closeShared() {
        shared.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void closingRefusesWhileHandlesAreOpenAndClosingAHandleLeavesTheResourcesRunning() {
        Db db = Db.builder("db", store).withResources(shared).build();
        assertEquals(1, shared.openHandles());
        SlateDbException refused = assertThrows(SlateDbException.class, shared::close);
        assertEquals(ErrorKind.INVALID, refused.kind());

        db.put(bytes("k"), bytes("v"));
        db.close();
        assertEquals(0, shared.openHandles());
        // The resources still serve new handles after one closed.
        try (Db again = Db.builder("db", store).withResources(shared).build()) {
            assertArrayEquals(bytes("v"), again.get(bytes("k")));
        }
        shared.close();
        SlateDbException closed = assertThrows(SlateDbException.class,
                () -> Db.builder("db", store).withResources(shared).build());
        assertEquals(ErrorKind.CLOSED, closed.kind());
    }

    @Test
    void aDatabaseOnSharedResourcesStartsNoThreadsOfItsOwn() {
        try (Db db = Db.builder("solo", store).withResources(shared).build()) {
            db.put(bytes("k"), bytes("v"));
            db.flush(FlushType.MEMTABLE);
            Set<String> own = liveThreadNames().stream().filter(name -> name.startsWith("slatedb-solo"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), own, "the writer, its compactor and its collector use the shared threads");
        }
    }

    @Test
    void aDatabaseOnSharedResourcesWaitsOutRetriesOnTheSharedRetryTimer() {
        RetryPolicy quick = RetryPolicy.DEFAULT.withBackoff(Duration.ofNanos(1), Duration.ofNanos(1));
        FaultInjectingObjectStore faults = new FaultInjectingObjectStore(store);
        try (Db db = Db.builder("retrier", faults).withResources(shared).withRetryPolicy(quick).build()) {
            FaultInjectingObjectStore.InjectedFault fault =
                    faults.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).once());
            db.put(bytes("k"), bytes("v"));
            db.flush(FlushType.WAL);
            assertEquals(1, fault.fired(), "a WAL upload failed once and was retried");
            assertArrayEquals(bytes("v"), db.get(bytes("k")));
            assertEquals(Set.of(), liveThreadNames().stream().filter(name -> name.startsWith("slatedb-retrier"))
                    .collect(Collectors.toSet()), "the retry waited on the shared timer");
        }
        // Without shared resources the same retry starts the database's own timer thread.
        try (Db db = Db.builder("own", faults).withRetryPolicy(quick).build()) {
            faults.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).once());
            db.put(bytes("k"), bytes("v"));
            db.flush(FlushType.WAL);
            assertTrue(liveThreadNames().contains("slatedb-own-retry"), String.valueOf(liveThreadNames()));
        }
    }

    @Test
    void everyHandleKindCountsItselfInAndOut() throws Exception {
        try (Db db = Db.builder("db", store).withResources(shared).build()) {
            db.put(bytes("k"), bytes("v"));
            db.flush(FlushType.MEMTABLE);
            DbReader reader = DbReader.builder("db", store).withResources(shared)
                    .withReaderMode(DbReaderMode.FOLLOW_LATEST).build();
            WalChangeFeed feed = WalChangeFeed.builder("db", store).withResources(shared).build();
            GarbageCollector gc = GarbageCollector.builder("db", store).withResources(shared).build();
            gc.start();
            assertEquals(4, shared.openHandles());
            assertArrayEquals(bytes("v"), reader.get(bytes("k")));
            Optional<ChangeBatch> batch = feed.next(Duration.ZERO).get();
            assertTrue(batch.isPresent());
            reader.close();
            feed.close();
            gc.close();
            assertEquals(1, shared.openHandles());
        }
        assertEquals(0, shared.openHandles());
    }

    @Test
    void aStandaloneCompactorRunsOnTheSharedThreadsAndCaches() {
        Settings noEmbedded = Settings.DEFAULT.toBuilder().compactorOptions(null).build();
        try (Db db = Db.builder("db", store).withSettings(noEmbedded).withResources(shared).build()) {
            for (int i = 0; i < 4; i++) {
                db.put(bytes("k" + i), bytes("v" + i));
                db.flush(FlushType.MEMTABLE);
            }
            try (Compactor compactor = Compactor.builder("db", store).withResources(shared).build()) {
                assertEquals(2, shared.openHandles());
                long metaMissesBefore = sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.META_MISSES);
                compactor.runUntilIdle();
                assertTrue(compactor.completedCompactions() > 0);
                assertTrue(sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.META_MISSES) > metaMissesBefore,
                        "the compactor opens SSTs through the shared metadata cache");
            }
            assertEquals(1, shared.openHandles());
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(bytes("v" + i), db.get(bytes("k" + i)));
            }
        }
    }

    @Test
    void theSharedCachesReportTheirMetricsAndDropAClosedDatabasesEntries() {
        try (Db db = Db.builder("db", store).withResources(shared).build()) {
            db.put(bytes("k"), bytes("v"));
            db.flush(FlushType.MEMTABLE);
            assertArrayEquals(bytes("v"), db.get(bytes("k")));
            assertArrayEquals(bytes("v"), db.get(bytes("k")));
            assertTrue(shared.cachedBytes() > 0);
            assertTrue(sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.META_BYTES) > 0);
            assertTrue(sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.BLOCK_HITS) > 0);
            assertEquals(1L, sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.OPEN_HANDLES));
        }
        assertEquals(0, shared.cachedBytes());
        assertEquals(0L, sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.BLOCK_BYTES));
    }

    @Test
    void badSizesAreRefused() {
        SlateDbException e = assertThrows(SlateDbException.class, () -> SharedResources.builder().withIoThreads(0));
        assertEquals(ErrorKind.INVALID, e.kind());
        e = assertThrows(SlateDbException.class, () -> SharedResources.builder().withBlockCacheBytes(-1));
        assertEquals(ErrorKind.INVALID, e.kind());
    }
}
