package io.slatedb;

import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DbPosition}: a snapshot of a reader, or a checkpoint, and a change feed started after its
 * position together hold every write exactly once, even while a writer keeps writing and flushing.
 */
@Timeout(120)
class DbPositionTest {
    static final String PATH = "db";
    /** No collector in the writer: every WAL file stays, so the feeds can read them after the writer stops. */
    static final Settings SETTINGS = Settings.builder().flushInterval(Duration.ofMillis(5))
            .garbageCollectorOptions(null).build();
    /** Scheduled polls never fire during a test: every poll is explicit. */
    static final DbReaderOptions OPTIONS = DbReaderOptions.builder().manifestPollInterval(Duration.ofMinutes(5))
            .checkpointLifetime(Duration.ofMinutes(10)).build();

    private final ObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** One snapshot taken mid-write: its position and what a scan of it showed then. */
    record Taken(DbReaderSnapshot snapshot, Map<String, Long> rows) {
    }

    /** Key to sequence number of every row a scan of {@code reads} shows. */
    private static Map<String, Long> scanAll(ReadMethods reads) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (DbIterator it = reads.scan(null, null)) {
            it.forEachRemaining(kv -> rows.put(s(kv.key()), kv.seq()));
        }
        return rows;
    }

    /** Key to sequence number of every row a feed started after {@code position} delivers, up to the WAL's end. */
    private List<Map.Entry<String, Long>> feedAfter(DbPosition position) {
        List<Map.Entry<String, Long>> rows = new ArrayList<>();
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withStartAfter(position).build()) {
            assertEquals(position.walId() + 1, feed.nextWalId());
            for (Optional<ChangeBatch> batch = feed.poll(Duration.ZERO); batch.isPresent();
                 batch = feed.poll(Duration.ZERO)) {
                batch.get().rows().forEach(row -> rows.add(Map.entry(s(row.key()), row.seq())));
            }
        }
        return rows;
    }

    /**
     * A writer writes 600 distinct keys, flushing memtables to L0 every 40 writes. While it writes,
     * a reader polls and three snapshots are taken; the writer holds its last 100 writes until the three
     * are taken. For each snapshot, its rows and the feed's rows after its position are every key once:
     * none missed, none doubled at the seam, the snapshot at or below the position's sequence number and
     * the feed above it. A snapshot scanned again after its reader moved on shows the same rows. With
     * {@code skipWalReplay} the position is the manifest's own (its L0 may hold rows of WAL files after its
     * replay point, which the feed must leave out).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void snapshotAndFeedHoldEveryWriteExactlyOnce(boolean skipWalReplay) throws Exception {
        int writes = 600;
        Db.builder(PATH, store).withSettings(SETTINGS).build().close();
        List<CountDownLatch> reached = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
        int[] marks = {150, 300, 450};
        CountDownLatch snapshotsTaken = new CountDownLatch(1);
        CompletableFuture<Set<String>> writer = CompletableFuture.supplyAsync(() -> {
            Set<String> written = new HashSet<>();
            try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
                for (int i = 1; i <= writes; i++) {
                    String key = String.format("k%05d", i);
                    db.put(b(key), b("v" + i));
                    written.add(key);
                    if (i % 40 == 0) {
                        db.flush(FlushType.MEMTABLE);
                    }
                    for (int m = 0; m < marks.length; m++) {
                        if (i == marks[m]) {
                            reached.get(m).countDown();
                        }
                    }
                    if (i == writes - 100) {
                        await(snapshotsTaken);
                    }
                }
            }
            return written;
        });
        List<Taken> taken = new ArrayList<>();
        try (DbReader reader = DbReader.builder(PATH, store)
                .withOptions(OPTIONS.toBuilder().skipWalReplay(skipWalReplay).build()).build()) {
            for (CountDownLatch mark : reached) {
                assertTrue(mark.await(60, TimeUnit.SECONDS));
                reader.pollNow();
                DbReaderSnapshot snapshot = reader.snapshot();
                taken.add(new Taken(snapshot, scanAll(snapshot)));
            }
            snapshotsTaken.countDown();
            Set<String> written = writer.get(60, TimeUnit.SECONDS);
            reader.pollNow();
            assertEquals(written, scanAll(reader).keySet(), "the reader moved on to the end");
            for (Taken t : taken) {
                DbPosition position = t.snapshot().position();
                assertEquals(t.rows(), scanAll(t.snapshot()), "a snapshot does not move with its reader");
                assertFalse(t.rows().isEmpty(), "the snapshot holds rows");
                t.rows().values().forEach(seq -> assertTrue(Long.compareUnsigned(seq, position.seq()) <= 0));
                List<Map.Entry<String, Long>> fed = feedAfter(position);
                assertTrue(fed.size() >= 100, "the last writes come through the feed");
                fed.forEach(e -> assertTrue(Long.compareUnsigned(e.getValue(), position.seq()) > 0,
                        "the feed starts after the position: " + e + " " + position));
                List<String> all = new ArrayList<>(t.rows().keySet());
                fed.forEach(e -> all.add(e.getKey()));
                assertEquals(written.size(), all.size(), "no write twice: " + position);
                assertEquals(written, new HashSet<>(all), "no write missed: " + position);
            }
        }
        DbPosition first = taken.get(0).snapshot().position();
        DbPosition last = taken.get(2).snapshot().position();
        assertTrue(Long.compareUnsigned(first.seq(), last.seq()) < 0, "positions advance: " + first + " " + last);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the snapshots were not taken");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A checkpoint's position is what a reader of that checkpoint sees (an admin's checkpoint covers the
     * WAL only as far as its manifest records), and the feed after it brings exactly the later writes.
     */
    @Test
    void checkpointTellsThePositionItsReaderSees() {
        UUID checkpoint;
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 20; i++) {
                db.put(b("a" + i), b("x"));
            }
            db.flush(FlushType.MEMTABLE);
            for (int i = 0; i < 20; i++) {
                db.put(b("b" + i), b("x"));
            }
            db.flush(FlushType.WAL);
            try (Admin admin = Admin.builder(PATH, store).build()) {
                checkpoint = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT).id();
            }
            for (int i = 0; i < 20; i++) {
                db.put(b("c" + i), b("x"));
            }
        }
        try (Admin admin = Admin.builder(PATH, store).build();
             DbReader reader = DbReader.builder(PATH, store).withCheckpointId(checkpoint).build()) {
            DbPosition position = admin.checkpointPosition(checkpoint);
            DbReaderSnapshot snapshot = reader.snapshot();
            assertEquals(snapshot.position(), position);
            assertEquals(reader.position(), position);
            Set<String> seen = new HashSet<>(scanAll(snapshot).keySet());
            for (int i = 0; i < 20; i++) {
                assertTrue(seen.contains("a" + i), "the checkpoint holds the writes flushed to L0");
            }
            List<Map.Entry<String, Long>> fed = feedAfter(position);
            fed.forEach(e -> assertTrue(seen.add(e.getKey()), "once: " + e.getKey()));
            assertEquals(60, seen.size());
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.checkpointPosition(UUID.randomUUID())).kind());
        }
    }

    /**
     * Rows at or below the position's sequence number that sit in WAL files after its WAL id (a writer
     * whose L0 flush took rows of files it has not marked covered leaves such files) are left out, and
     * their batches still come, so the consumer's saved WAL id moves on.
     */
    @Test
    void feedAfterAPositionLeavesOutRowsAtOrBelowItsSequenceNumber() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 6; i++) {
                db.put(b("k" + i), b("v" + i));
                db.flush(FlushType.WAL);
            }
        }
        List<ChangeBatch> all = new ArrayList<>();
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).build()) {
            for (Optional<ChangeBatch> batch = feed.poll(Duration.ZERO); batch.isPresent();
                 batch = feed.poll(Duration.ZERO)) {
                all.add(batch.get());
            }
        }
        List<ChangeBatch> withRows = all.stream().filter(batch -> !batch.rows().isEmpty()).toList();
        assertEquals(6, withRows.size(), "one WAL file per write");
        ChangeBatch before = withRows.get(1);
        long seq = withRows.get(3).rows().get(0).seq();
        DbPosition position = new DbPosition(1, seq, before.walId());
        List<ChangeBatch> fed = new ArrayList<>();
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withStartAfter(position).build()) {
            for (Optional<ChangeBatch> batch = feed.poll(Duration.ZERO); batch.isPresent();
                 batch = feed.poll(Duration.ZERO)) {
                fed.add(batch.get());
            }
        }
        assertEquals(before.walId() + 1, fed.get(0).walId(), "the feed starts after the position's WAL id");
        assertEquals(all.get(all.size() - 1).walId(), fed.get(fed.size() - 1).walId(), "every later batch comes");
        List<String> keys = new ArrayList<>();
        fed.forEach(batch -> batch.rows().forEach(row -> keys.add(s(row.key()))));
        assertEquals(List.of("k4", "k5"), keys, "k2 and k3 are at or below the position's sequence number");
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withStartAfter(position).withStartAt(before.walId() + 1)
                .build()) {
            List<String> all2 = new ArrayList<>();
            for (Optional<ChangeBatch> batch = feed.poll(Duration.ZERO); batch.isPresent();
                 batch = feed.poll(Duration.ZERO)) {
                batch.get().rows().forEach(row -> all2.add(s(row.key())));
            }
            assertEquals(List.of("k2", "k3", "k4", "k5"), all2, "a later withStartAt leaves nothing out");
        }
    }

    /** A closed reader has no position, and its snapshots no longer read. */
    @Test
    void closedReadersAndTheirSnapshotsFail() {
        Db.builder(PATH, store).withSettings(SETTINGS).build().close();
        DbReader reader = DbReader.builder(PATH, store).withOptions(OPTIONS).build();
        DbReaderSnapshot snapshot = reader.snapshot();
        assertEquals(reader.position(), snapshot.position());
        reader.close();
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, reader::position).kind());
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, () -> snapshot.get(b("k"))).kind());
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, () -> snapshot.scan(null, null)).kind());
    }
}
