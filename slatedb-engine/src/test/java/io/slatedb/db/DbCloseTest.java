package io.slatedb.db;

import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.CloseReason;
import io.slatedb.Db;
import io.slatedb.ErrorKind;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.WriteBatch;
import io.slatedb.WriteOptions;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.slatedb.db.ReadSemanticsTest.bytes;
import static io.slatedb.db.ReadSemanticsTest.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Closing a writer: it flushes the memtables to L0 (the data survives without the WAL), stops every
 * thread it started, and the database reopens with everything; calls after close fail as CLOSED
 * (reason CLEAN), and closing again does nothing.
 */
@Timeout(60)
class DbCloseTest {
    /** Timed WAL flushes are off: only close itself can make the unawaited writes durable. */
    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(null)
            .manifestPollInterval(Duration.ofMillis(20))
            .l0MaxSsts(100)
            .build();

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void closeFlushesEverythingToL0AndStopsEveryThread(TestStore kind) {
        String path = "close-" + UUID.randomUUID();
        try (TestStore.Opened opened = kind.open()) {
            Db db = Db.builder(path, opened.store()).withSettings(SETTINGS).build();
            assertTrue(threadsOf(path).size() > 0, "the writer runs threads named after its path");
            for (int i = 0; i < 50; i++) {
                db.put(bytes("k" + i), bytes("v" + i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            }
            db.delete(bytes("k7"), WriteOptions.NO_AWAIT);
            db.close();
            SortedMapView metrics = new SortedMapView(((SimpleMetricRegistry) db.metrics()).snapshot());
            assertTrue(metrics.get(SlateDbMetricNames.Db.IMMUTABLE_MEMTABLE_FLUSHES) >= 1, "close wrote the memtable to L0: " + metrics);
            awaitNoThreads(path);

            // The data is in L0 and the manifest: a new writer finds it with every WAL data file gone.
            List<ObjectMetadata> walFiles = Futures.join(opened.store().listAll(path + "/wal/"));
            assertTrue(walFiles.stream().anyMatch(f -> f.size() > 0), "close wrote the WAL: " + walFiles);
            for (ObjectMetadata file : walFiles) {
                if (file.size() > 0) {
                    Futures.join(opened.store().delete(file.path()));
                }
            }
            try (Db reopened = Db.builder(path, opened.store()).withSettings(SETTINGS).build()) {
                for (int i = 0; i < 50; i++) {
                    assertEquals(i == 7 ? null : "v" + i, string(reopened.get(bytes("k" + i))), "k" + i);
                }
            }
            awaitNoThreads(path);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void callsAfterCloseFailAsClosedAndCloseIsIdempotent(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            Db db = Db.builder("db", opened.store()).withSettings(SETTINGS).build();
            db.put(bytes("k"), bytes("v"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            db.close();
            db.close();
            List<Executable> calls = List.of(
                    () -> db.put(bytes("k"), bytes("v")),
                    () -> db.put(bytes("k"), bytes("v"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT),
                    () -> db.delete(bytes("k")),
                    () -> db.write(new WriteBatch().put(bytes("k"), bytes("v"))),
                    () -> db.get(bytes("k")),
                    () -> db.getKeyValue(bytes("k")),
                    () -> db.scan(null, null),
                    () -> db.scanPrefix(bytes("k")),
                    () -> db.flush(),
                    () -> db.flush(FlushType.MEMTABLE),
                    () -> db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT),
                    () -> Futures.join(db.putAsync(bytes("k"), bytes("v"))));
            for (Executable call : calls) {
                SlateDbException e = assertThrows(SlateDbException.class, call);
                assertEquals(ErrorKind.CLOSED, e.kind(), e.toString());
                assertEquals(CloseReason.CLEAN, e.closeReason(), e.toString());
            }
            try (Db reopened = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                assertEquals("v", string(reopened.get(bytes("k"))));
            }
        }
    }

    /** The live threads whose names carry the database path. */
    static List<String> threadsOf(String path) {
        return liveThreadsOf(path).stream().map(Thread::getName).toList();
    }

    /**
     * Waits until every thread of the database has ended (stopping a pool is not instant): joins each,
     * so a thread that never stops hangs the test into its timeout instead of racing a deadline.
     */
    static void awaitNoThreads(String path) {
        List<Thread> live = liveThreadsOf(path);
        while (!live.isEmpty()) {
            for (Thread thread : live) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted while waiting for " + thread.getName() + " to stop");
                }
            }
            live = liveThreadsOf(path); // a thread that was starting as the pool stopped
        }
    }

    private static List<Thread> liveThreadsOf(String path) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> thread.getName().contains(path))
                .toList();
    }

    /** A metrics snapshot where an absent counter reads 0. */
    private record SortedMapView(java.util.SortedMap<String, Long> values) {
        long get(String name) {
            Long value = values.get(name);
            return value == null ? 0 : value;
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }
}
