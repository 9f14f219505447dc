package io.slatedb;

import io.slatedb.testing.ReadRecordingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DbReaderSnapshot#scanChangesSince}: deletes and merge operands are returned as stored, only
 * keys changed after the sequence number appear, the key range bounds the scan, and the SSTs are not
 * read when the manifest says they hold nothing newer.
 */
@Timeout(60)
class ScanChangesSinceTest {
    private static final MergeOperator CONCAT = (key, existing, operand) -> {
        byte[] base = existing == null ? new byte[0] : existing;
        byte[] out = new byte[base.length + operand.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(operand, 0, out, base.length, operand.length);
        return out;
    };
    private static final Settings SETTINGS = Settings.builder().flushInterval(Duration.ofMillis(5))
            .compactorOptions(null).garbageCollectorOptions(null).build();

    @Test
    void newestRowPerKeyAboveTheSequenceNumberTombstonesAndOperandsIncluded() {
        try (ReadRecordingStore store = new ReadRecordingStore()) {
            long putB;
            long lastL0;
            long putD;
            UUID checkpoint;
            try (Db db = Db.builder("db", store).withSettings(SETTINGS).withMergeOperator(CONCAT).build()) {
                db.put(b("a"), b("1"));
                putB = db.put(b("b"), b("2")).seq();
                db.delete(b("a"));
                db.put(b("c"), b("x"));
                db.merge(b("c"), b("y"));
                lastL0 = db.lastSeq();
                db.flush(FlushType.MEMTABLE); // into an L0 SST: the manifest's last L0 seq is lastL0
                putD = db.put(b("d"), b("3")).seq();
                db.flush(FlushType.WAL); // only in the WAL: the reader replays it
                checkpoint = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT).id();
            }
            try (DbReader reader = DbReader.builder("db", store).withCheckpointId(checkpoint)
                    .withMergeOperator(CONCAT).build()) {
                DbReaderSnapshot snapshot = reader.snapshot();

                int before = store.reads();
                List<ChangeRow> sinceL0 = all(snapshot.scanChangesSince(lastL0, null, null));
                assertEquals(before, store.reads(), "no SST is read when the tree holds nothing newer");
                assertEquals(List.of("d PUT 3"), describe(sinceL0));
                assertEquals(putD, sinceL0.get(0).seq());
                assertTrue(sinceL0.get(0).createTs().isPresent());

                assertEquals(List.of("a DELETE", "c MERGE y", "d PUT 3"),
                        describe(all(snapshot.scanChangesSince(putB, null, null))));
                assertTrue(store.reads() > before, "the L0 SST is read for changes it may hold");
                assertEquals(List.of("a DELETE", "b PUT 2", "c MERGE y", "d PUT 3"),
                        describe(all(snapshot.scanChangesSince(0, null, null))));
                assertEquals(List.of("b PUT 2", "c MERGE y"),
                        describe(all(snapshot.scanChangesSince(0, b("b"), b("d")))));
                assertEquals(List.of(), describe(all(snapshot.scanChangesSince(putD, null, null))));
                // The operand is raw; a read folds it.
                assertArrayEquals(b("xy"), snapshot.get(b("c")));
                assertNull(snapshot.get(b("a")));
            }
        }
    }

    @Test
    void asyncIterationEndsWithNull() throws Exception {
        try (ReadRecordingStore store = new ReadRecordingStore()) {
            try (Db db = Db.builder("db", store).withSettings(SETTINGS).build()) {
                db.put(b("k"), b("v"));
                db.delete(b("k"));
                db.flush(FlushType.WAL);
            }
            try (DbReader reader = DbReader.builder("db", store).build();
                 ChangeIterator rows = reader.snapshot().scanChangesSince(0, null, null)) {
                ChangeRow row = rows.nextAsync().get();
                assertEquals(ChangeKind.DELETE, row.kind());
                assertNull(row.value());
                assertNull(rows.nextAsync().get());
            }
        }
    }

    @Test
    void failsOnAClosedReader() {
        try (ReadRecordingStore store = new ReadRecordingStore()) {
            try (Db db = Db.builder("db", store).withSettings(SETTINGS).build()) {
                db.put(b("k"), b("v"));
                db.flush(FlushType.WAL);
            }
            DbReader reader = DbReader.builder("db", store).build();
            DbReaderSnapshot snapshot = reader.snapshot();
            reader.close();
            SlateDbException e = assertThrows(SlateDbException.class, () -> snapshot.scanChangesSince(0, null, null));
            assertEquals(ErrorKind.CLOSED, e.kind());
        }
    }

    private static List<ChangeRow> all(ChangeIterator rows) {
        List<ChangeRow> out = new ArrayList<>();
        try (rows) {
            rows.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<String> describe(List<ChangeRow> rows) {
        List<String> out = new ArrayList<>();
        for (ChangeRow row : rows) {
            out.add(s(row.key()) + " " + row.kind() + (row.value() == null ? "" : " " + s(row.value())));
        }
        return out;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
