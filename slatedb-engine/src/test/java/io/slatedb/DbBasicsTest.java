package io.slatedb;

import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.InMemoryObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DbBasicsTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void putGetDeleteScanAndReopen() {
        try (Db db = Db.open("db", store)) {
            db.put(b("a"), b("1"));
            db.put(b("b"), b("2"));
            db.put(b("c"), b("3"));
            db.delete(b("b"));
            assertEquals("1", s(db.get(b("a"))));
            assertNull(db.get(b("b")));
            List<String> keys = new ArrayList<>();
            try (DbIterator it = db.scan(null, null)) {
                it.forEachRemaining(kv -> keys.add(s(kv.key()) + "=" + s(kv.value())));
            }
            assertEquals(List.of("a=1", "c=3"), keys);
            db.flush(FlushType.MEMTABLE);
            SortedMap<String, Long> metrics = ((SimpleMetricRegistry) db.metrics()).snapshot();
            assertEquals(3, metrics.get(SlateDbMetricNames.Db.PUT_COUNT));
            assertEquals(1, metrics.get(SlateDbMetricNames.Db.DELETE_COUNT));
            assertEquals(1, metrics.get(SlateDbMetricNames.Db.IMMUTABLE_MEMTABLE_FLUSHES));
            assertEquals(1, metrics.get(SlateDbMetricNames.Db.L0_SST_COUNT));
            assertTrue(metrics.get(SlateDbMetricNames.Db.WAL_BUFFER_FLUSHES) >= 1);
            assertTrue(metrics.get("object_store.put.requests") >= 4, metrics.toString()); // manifests, fence, WAL, L0
            db.put(b("d"), b("4"));
        }
        try (Db db = Db.open("db", store)) {
            assertEquals("1", s(db.get(b("a"))));
            assertNull(db.get(b("b")));
            assertEquals("3", s(db.get(b("c"))));
            assertEquals("4", s(db.get(b("d"))));
        }
    }

    @Test
    void unflushedWalIsReplayedAfterAbandonedWriter() {
        Settings settings = Settings.builder().flushInterval(Duration.ofMillis(10)).build();
        Db first = Db.builder("db", store).withSettings(settings).build();
        first.put(b("k"), b("v"));
        // The first writer is abandoned without close; a second one fences it and replays its WAL.
        try (Db second = Db.builder("db", store).withSettings(settings).build()) {
            assertEquals("v", s(second.get(b("k"))));
            SlateDbException e = assertThrows(SlateDbException.class, () -> first.put(b("x"), b("y")));
            assertEquals(ErrorKind.CLOSED, e.kind());
            assertEquals(CloseReason.FENCED, e.closeReason());
            second.put(b("k"), b("w"));
        }
        first.close();
        try (Db third = Db.open("db", store)) {
            assertEquals("w", s(third.get(b("k"))));
            assertNull(third.get(b("x")));
        }
    }

    @Test
    void callsAfterCloseFailAsClosed() {
        Db db = Db.open("db", store);
        db.close();
        SlateDbException e = assertThrows(SlateDbException.class, () -> db.put(b("a"), b("b")));
        assertEquals(ErrorKind.CLOSED, e.kind());
        assertEquals(CloseReason.CLEAN, e.closeReason());
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, () -> db.get(b("a"))).kind());
        db.close();
    }

    @Test
    void manyMemtableFlushesKeepEveryKey() {
        Settings settings = Settings.builder().l0SstSizeBytes(4096).maxUnflushedBytes(1 << 20).l0MaxSsts(1000)
                .flushInterval(Duration.ofMillis(5)).build();
        try (Db db = Db.builder("db", store).withSettings(settings).build()) {
            for (int i = 0; i < 2000; i++) {
                db.put(b(String.format("key%05d", i)), b("value" + i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            }
            db.flush(FlushType.MEMTABLE);
            assertTrue(db.settings().l0SstSizeBytes() == 4096);
            for (int i = 0; i < 2000; i += 97) {
                assertArrayEquals(b("value" + i), db.get(b(String.format("key%05d", i))));
            }
        }
        try (Db db = Db.builder("db", store).withSettings(settings).build()) {
            int count = 0;
            try (DbIterator it = db.scan(null, null)) {
                while (it.hasNext()) {
                    KeyValue kv = it.next();
                    assertEquals("value" + count, s(kv.value()));
                    count++;
                }
            }
            assertEquals(2000, count);
        }
    }
}
