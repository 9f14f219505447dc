package io.slatedb;

import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.InMemoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every handle publishes its metrics, under the names of {@link SlateDbMetricNames}. */
@Timeout(60)
class HandleMetricsTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private static final Settings NO_BACKGROUND = Settings.DEFAULT.toBuilder()
            .compactorOptions(null).garbageCollectorOptions(null).build();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, Long> snapshot(Object registry) {
        return ((SimpleMetricRegistry) registry).snapshot();
    }

    /** Writes {@code count} keys, each flushed into an L0 SST of its own. */
    private void writeL0s(Db db, int count) {
        for (int i = 0; i < count; i++) {
            db.put(bytes("k" + i), bytes("v" + i));
            db.flush(FlushType.MEMTABLE);
        }
    }

    @Test
    void aWriterCountsWritesAndReadsUnderSlateDbNames() {
        SimpleMetricRegistry registry = new SimpleMetricRegistry();
        try (Db db = Db.builder("db", store).withSettings(NO_BACKGROUND).withMetrics(registry).build()) {
            WriteBatch batch = new WriteBatch();
            batch.put(bytes("a"), bytes("1"));
            batch.delete(bytes("b"));
            db.write(batch);
            db.get(bytes("a"));
            SortedMap<String, Long> metrics = snapshot(db.metrics());
            assertEquals(1L, metrics.get(SlateDbMetricNames.Db.WRITE_BATCH_COUNT));
            assertEquals(2L, metrics.get(SlateDbMetricNames.Db.WRITE_OPS));
            assertEquals(1L, metrics.get(SlateDbMetricNames.Db.PUT_COUNT));
            assertEquals(1L, metrics.get(SlateDbMetricNames.Db.DELETE_COUNT));
            assertEquals(1L, metrics.get(SlateDbMetricNames.Db.GET_REQUESTS));
        }
    }

    @Test
    void aReaderCountsGetsScansPollsAndCacheLookups() {
        try (Db db = Db.builder("db", store).withSettings(NO_BACKGROUND).build()) {
            writeL0s(db, 2);
        }
        SimpleMetricRegistry registry = new SimpleMetricRegistry();
        try (DbReader reader = DbReader.builder("db", store).withReaderMode(DbReaderMode.FOLLOW_LATEST)
                .withMetrics(registry).build()) {
            assertSame(registry, reader.metrics());
            assertArrayEquals(bytes("v0"), reader.get(bytes("k0")));
            assertArrayEquals(bytes("v0"), reader.get(bytes("k0")));
            try (DbIterator rows = reader.scan(null, null)) {
                assertTrue(rows.hasNext());
            }
            reader.core().pollNow();
            SortedMap<String, Long> metrics = registry.snapshot();
            assertEquals(2L, metrics.get(SlateDbMetricNames.DbReader.GET_REQUESTS));
            assertEquals(1L, metrics.get(SlateDbMetricNames.DbReader.SCAN_REQUESTS));
            assertEquals(1L, metrics.get(SlateDbMetricNames.DbReader.POLLS));
            assertEquals(0L, metrics.get(SlateDbMetricNames.DbReader.POLL_FAILURES));
            assertTrue(metrics.get(SlateDbMetricNames.DbReader.MANIFEST_ID) > 0);
            assertTrue(metrics.get(SlateDbMetricNames.DbReader.CACHE_META_HITS) > 0);
        }
    }

    @Test
    void aCompactorCountsItsCompactionsAndTheGarbageCollectorItsDeletions() {
        try (Db db = Db.builder("db", store).withSettings(NO_BACKGROUND).build()) {
            writeL0s(db, 4);
        }
        SimpleMetricRegistry compactorMetrics = new SimpleMetricRegistry();
        try (Compactor compactor = Compactor.builder("db", store).withMetrics(compactorMetrics).build()) {
            compactor.runUntilIdle();
            SortedMap<String, Long> metrics = compactorMetrics.snapshot();
            assertEquals(compactor.completedCompactions(), metrics.get(SlateDbMetricNames.Compactor.COMPACTIONS));
            assertTrue(metrics.get(SlateDbMetricNames.Compactor.COMPACTIONS) > 0);
            assertEquals(compactor.bytesWritten(), metrics.get(SlateDbMetricNames.Compactor.BYTES_COMPACTED));
            assertEquals(0L, metrics.get(SlateDbMetricNames.Compactor.RUNNING_COMPACTIONS));
            assertTrue(metrics.get(SlateDbMetricNames.Compactor.LAST_COMPACTION_TIMESTAMP_SEC) > 0);
        }

        GarbageCollectorDirectoryOptions now = new GarbageCollectorDirectoryOptions(Duration.ofMinutes(1),
                Duration.ZERO, false);
        GarbageCollectorOptions manifestsOnly = GarbageCollectorOptions.builder().manifestOptions(now)
                .walOptions(null).walFenceOptions(null).compactedOptions(null).compactionsOptions(null)
                .detachOptions(null).build();
        GarbageCollector gc = GarbageCollector.builder("db", store).withOptions(manifestsOnly).build();
        GarbageCollectorTaskResult dry = gc.runTask(GarbageCollectorTask.MANIFEST, true);
        assertTrue(dry.count() > 0);
        assertEquals(0L, snapshot(gc.metrics()).get(SlateDbMetricNames.GarbageCollector.DELETED_MANIFESTS),
                "a dry run deletes nothing");
        GarbageCollectorTaskResult real = gc.runTask(GarbageCollectorTask.MANIFEST, false);
        SortedMap<String, Long> metrics = snapshot(gc.metrics());
        assertEquals((long) real.count(), metrics.get(SlateDbMetricNames.GarbageCollector.DELETED_MANIFESTS));
        assertEquals(0L, metrics.get(SlateDbMetricNames.GarbageCollector.DELETED_WAL));
        assertEquals(2L, metrics.get(SlateDbMetricNames.GarbageCollector.RUNS));
    }

    @Test
    void aWritersEmbeddedCompactorPublishesToTheWritersRegistry() {
        Settings embeddedOnly = Settings.DEFAULT.toBuilder().garbageCollectorOptions(null).build();
        try (Db db = Db.builder("db", store).withSettings(embeddedOnly).build()) {
            assertTrue(snapshot(db.metrics()).containsKey(SlateDbMetricNames.Compactor.BYTES_COMPACTED));
        }
    }

    @Test
    void aChangeFeedCountsBatchesRowsAndEmptyLooks() throws Exception {
        try (Db db = Db.builder("db", store).withSettings(NO_BACKGROUND).build()) {
            WriteBatch batch = new WriteBatch();
            batch.put(bytes("a"), bytes("1"));
            batch.put(bytes("b"), bytes("2"));
            db.write(batch);
        }
        try (WalChangeFeed feed = WalChangeFeed.builder("db", store).build()) {
            int rows = 0;
            while (true) {
                var next = feed.next(Duration.ZERO).get();
                if (next.isEmpty()) {
                    break;
                }
                rows += next.get().rows().size();
            }
            SortedMap<String, Long> metrics = snapshot(feed.metrics());
            assertEquals(2, rows);
            assertEquals((long) rows, metrics.get(SlateDbMetricNames.WalChangeFeed.ROWS));
            assertEquals(feed.nextWalId() - 1, metrics.get(SlateDbMetricNames.WalChangeFeed.BATCHES));
            assertEquals(1L, metrics.get(SlateDbMetricNames.WalChangeFeed.EMPTY_POLLS));
            assertEquals(feed.nextWalId(), metrics.get(SlateDbMetricNames.WalChangeFeed.NEXT_WAL_ID));
            assertEquals(0L, metrics.get(SlateDbMetricNames.WalChangeFeed.LAG_MILLIS), "caught up");
        }
    }
}
