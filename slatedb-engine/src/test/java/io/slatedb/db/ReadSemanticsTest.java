package io.slatedb.db;

import io.slatedb.testing.GateStore;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.Settings;
import io.slatedb.WriteBatch;
import io.slatedb.WriteOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reads see: the newest version of a key wins across the mutable memtable, the immutable
 * memtables and the L0 SSTs (newest first), tombstones hide older values; an iterator reads the
 * snapshot it was opened on while writes and flushes go on; scan bounds are start-inclusive,
 * end-exclusive, and null for unbounded.
 */
@Timeout(60)
class ReadSemanticsTest {
    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .l0MaxSsts(100)
            .build();

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void theNewestVersionWinsAcrossMemtablesAndL0(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            GateStore gate = new GateStore(opened.store());
            try (Db db = Db.builder("db", gate).withSettings(SETTINGS).build()) {
                // The oldest L0 SST.
                db.write(batch("a", "1", "b", "1", "c", "1", "e", "1", "f", "1"));
                db.flush(FlushType.MEMTABLE);
                // The newest L0 SST: overwrites b, deletes e and f.
                db.write(batch("b", "2", "e", null, "f", null));
                db.flush(FlushType.MEMTABLE);
                // An immutable memtable that stays in memory: its L0 upload is held.
                CompletableFuture<String> held = gate.shut(path -> path.contains("/compacted/"));
                db.write(batch("c", null, "d", "3", "g", "3"));
                CompletableFuture<Void> flushed = db.flushAsync(FlushType.MEMTABLE);
                held.orTimeout(30, TimeUnit.SECONDS).join();
                // The mutable memtable.
                db.write(batch("d", "4", "e", "4"));

                Map<String, String> expected = new LinkedHashMap<>();
                expected.put("a", "1"); // only in the oldest L0
                expected.put("b", "2"); // newer L0 over older L0
                expected.put("d", "4"); // mutable over immutable memtable
                expected.put("e", "4"); // mutable memtable over an L0 tombstone over an L0 value
                expected.put("g", "3"); // only in the immutable memtable
                assertContents(db, expected);
                assertNull(db.get(bytes("c")), "a tombstone in the immutable memtable hides the L0 value");
                assertNull(db.get(bytes("f")), "a tombstone in the newer L0 hides the older L0 value");
                assertFalse(flushed.isDone());

                gate.open();
                flushed.orTimeout(30, TimeUnit.SECONDS).join();
                assertContents(db, expected);
            }
            try (Db db = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                assertContents(db, Map.of("a", "1", "b", "2", "d", "4", "e", "4", "g", "3"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void anIteratorReadsItsSnapshotWhileWritesAndFlushesGoOn(TestStore kind) throws Exception {
        Settings small = SETTINGS.toBuilder().l0SstSizeBytes(2048).build();
        try (TestStore.Opened opened = kind.open();
             Db db = Db.builder("db", opened.store()).withSettings(small).build()) {
            Map<String, String> snapshot = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                db.put(bytes(key(i)), bytes("old-" + i), io.slatedb.PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                snapshot.put(key(i), "old-" + i);
            }
            db.flush(FlushType.MEMTABLE); // some of it in L0, some in memory
            for (int i = 0; i < 60; i += 3) {
                db.put(bytes(key(i)), bytes("old-" + i + "-again"), io.slatedb.PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                snapshot.put(key(i), "old-" + i + "-again");
            }
            List<String> seen = new ArrayList<>();
            CountDownLatch writing = new CountDownLatch(1);
            try (DbIterator it = db.scan(null, null)) {
                // Overwrite, delete and add keys, and flush memtables to L0, while the iterator is open;
                // the iterator reads from the end of the first round on.
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < 2; round++) {
                        for (int i = 0; i < 60; i++) {
                            if (i % 4 == 0) {
                                db.delete(bytes(key(i)), WriteOptions.NO_AWAIT);
                            } else {
                                db.put(bytes(key(i)), bytes("new-" + round), io.slatedb.PutOptions.DEFAULT,
                                        WriteOptions.NO_AWAIT);
                            }
                            db.put(bytes(key(i) + "-added"), bytes("new"), io.slatedb.PutOptions.DEFAULT,
                                    WriteOptions.NO_AWAIT);
                        }
                        db.flush(FlushType.MEMTABLE);
                        writing.countDown();
                    }
                });
                assertTrue(writing.await(30, TimeUnit.SECONDS));
                while (it.hasNext()) {
                    KeyValue kv = it.next();
                    seen.add(string(kv.key()) + "=" + string(kv.value()));
                }
                writer.get(30, TimeUnit.SECONDS);
            }
            List<String> expected = new ArrayList<>();
            snapshot.forEach((k, v) -> expected.add(k + "=" + v));
            assertEquals(expected, seen);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void scanBoundsAreStartInclusiveEndExclusiveNullUnbounded(TestStore kind) {
        try (TestStore.Opened opened = kind.open();
             Db db = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
            db.write(batch("a", "1", "b", "2", "ba", "3", "c", "4", "d", "5"));
            db.flush(FlushType.MEMTABLE);
            db.put(bytes("bb"), bytes("6"));
            assertEquals(List.of("b", "ba", "bb", "c"), keys(db.scan(bytes("b"), bytes("d"))));
            assertEquals(List.of("a", "b", "ba", "bb"), keys(db.scan(null, bytes("c"))));
            assertEquals(List.of("c", "d"), keys(db.scan(bytes("c"), null)));
            assertEquals(List.of("a", "b", "ba", "bb", "c", "d"), keys(db.scan(null, null)));
            assertEquals(List.of(), keys(db.scan(bytes("b"), bytes("b"))));
            assertEquals(List.of("b"), keys(db.scan(bytes("b"), bytes("ba"))));
            assertEquals(List.of("b", "ba", "bb"), keys(db.scanPrefix(bytes("b"))));
            assertEquals(List.of("ba"), keys(db.scanPrefix(bytes("ba"))));
            assertEquals(List.of(), keys(db.scanPrefix(bytes("e"))));
        }
    }

    private static void assertContents(Db db, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), string(db.get(bytes(e.getKey()))), "get " + e.getKey());
        }
        Map<String, String> scanned = new LinkedHashMap<>();
        try (DbIterator it = db.scan(null, null)) {
            it.forEachRemaining(kv -> scanned.put(string(kv.key()), string(kv.value())));
        }
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(scanned));
        assertEquals(List.copyOf(new java.util.TreeMap<>(expected).keySet()), List.copyOf(scanned.keySet()),
                "scan order");
    }

    /** A batch of key, value pairs; a null value is a delete. */
    private static WriteBatch batch(String... pairs) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                batch.delete(bytes(pairs[i]));
            } else {
                batch.put(bytes(pairs[i]), bytes(pairs[i + 1]));
            }
        }
        return batch;
    }

    private static List<String> keys(DbIterator it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(string(kv.key())));
        }
        return keys;
    }

    private static String key(int i) {
        return String.format("k%03d", i);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
