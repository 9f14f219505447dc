package io.slatedb;

import io.slatedb.testing.MutableClock;
import io.slatedb.format.DbLayout;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WAL retention slots with the collector running (WAL and fence tasks, {@code min_age} zero, one
 * {@code runOnce} between steps): the WAL from a slot's position on stays, what is below goes once the
 * slot moves, is released or expires, and a feed started at the slot never meets a truncation.
 */
@Timeout(60)
class WalRetentionTest {
    static final String PATH = "db";
    static final Settings SETTINGS = Settings.builder().flushInterval(Duration.ofMillis(5)).compactorOptions(null)
            .garbageCollectorOptions(null).build();
    static final GarbageCollectorDirectoryOptions AT_ONCE =
            new GarbageCollectorDirectoryOptions(Duration.ofMinutes(10), Duration.ZERO, false);
    static final GarbageCollectorOptions WAL_ONLY = GarbageCollectorOptions.builder().walOptions(AT_ONCE)
            .walFenceOptions(AT_ONCE).manifestOptions(null).compactedOptions(null).compactionsOptions(null)
            .detachOptions(null).build();

    private final ObjectStore store = new InMemoryObjectStore();
    /** An hour ahead of the objects' times, so every object is older than a zero min_age. */
    private final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1))
            .truncatedTo(ChronoUnit.SECONDS));

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Admin admin() {
        return Admin.builder(PATH, store).withClock(clock).build();
    }

    private GarbageCollectorResult collect() {
        try (GarbageCollector gc = GarbageCollector.builder(PATH, store).withOptions(WAL_ONLY).withClock(clock)
                .build()) {
            return gc.runOnce(false);
        }
    }

    /** {@code count} writes, each in its own WAL file, then everything flushed to L0. */
    private static void writeAndFlush(Db db, int count) {
        for (int i = 0; i < count; i++) {
            db.put(b("k" + i), b("v" + i));
            db.flush(FlushType.WAL);
        }
        db.flush(FlushType.MEMTABLE);
    }

    /** The stored WAL ids, ascending. */
    private List<Long> storedWalIds() {
        String dir = DbLayout.of(PATH).walDir() + "/";
        return Futures.join(store.listAll(dir)).stream().map(o -> DbLayout.parseWalSstId(o.path()).orElseThrow())
                .sorted().toList();
    }

    private static void assertContiguousFrom(long first, List<Long> ids) {
        assertEquals(first, ids.get(0), "the oldest stored WAL id: " + ids);
        for (int i = 1; i < ids.size(); i++) {
            assertEquals(ids.get(i - 1) + 1, ids.get(i), "no gap: " + ids);
        }
    }

    private long replayAfter(Admin admin) {
        return admin.readManifest().orElseThrow().internal().core().replayAfterWalId();
    }

    /** Reads batches from {@code startAt} up to and including {@code through}; returns the last id read. */
    private long consume(long startAt, long through) {
        long last = startAt - 1;
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withStartAt(startAt).build()) {
            while (last < through) {
                last = feed.poll(Duration.ZERO).orElseThrow().walId();
            }
        }
        return last;
    }

    /** The WAL is held from the slot's position while it exists, and released as it moves and goes. */
    @Test
    void theCollectorKeepsTheWalFromTheSlotOnUntilItMovesOrIsReleased() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build(); Admin admin = admin()) {
            writeAndFlush(db, 6);
            long saved = consume(1, 3);
            WalRetention slot = admin.createWalRetention("connector", saved + 1, Duration.ofMinutes(10));
            assertEquals(4, slot.walId());
            assertEquals(List.of(slot), admin.listWalRetentions());

            writeAndFlush(db, 6);
            assertTrue(replayAfter(admin) > 10, "the writer's L0 covers the WAL far past the slot");
            collect();
            assertContiguousFrom(4, storedWalIds());
            long newest = storedWalIds().get(storedWalIds().size() - 1);
            saved = consume(4, 8);

            WalRetention moved = admin.moveWalRetention("connector", saved + 1);
            assertEquals(9, moved.walId());
            assertFalse(moved.checkpointId().equals(slot.checkpointId()), "a move replaces the checkpoint");
            assertEquals(List.of(moved), admin.listWalRetentions());
            collect();
            assertContiguousFrom(9, storedWalIds());
            assertEquals(newest, consume(9, newest), "the feed from the slot reads to the end");

            assertTrue(admin.releaseWalRetention("connector"));
            assertFalse(admin.releaseWalRetention("connector"));
            collect();
            assertContiguousFrom(replayAfter(admin), storedWalIds());
            assertTrue(replayAfter(admin) > 9);
        }
    }

    /** Without a slot the same collection truncates a lagging feed; with one, it never does. */
    @Test
    void aFeedAtItsSlotNeverMeetsATruncation() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build(); Admin admin = admin()) {
            writeAndFlush(db, 4);
            admin.createWalRetention("held", 2, null);
            writeAndFlush(db, 4);
            collect();
            try (WalChangeFeed held = WalChangeFeed.builder(PATH, store).withStartAt(2).build();
                 WalChangeFeed unheld = WalChangeFeed.builder(PATH, store).withStartAt(1).build()) {
                WalTruncatedException e = assertThrows(WalTruncatedException.class,
                        () -> unheld.poll(Duration.ZERO));
                assertEquals(OptionalLong.of(2), e.oldestAvailableWalId());
                long last = 1;
                for (Optional<ChangeBatch> batch = held.poll(Duration.ZERO); batch.isPresent();
                     batch = held.poll(Duration.ZERO)) {
                    assertEquals(last + 1, batch.get().walId());
                    last = batch.get().walId();
                }
                assertEquals(held.walRange().orElseThrow().newestWalId(), last);
            }
        }
    }

    /** A slot with a lifetime that is not moved expires; the collector then takes its WAL. */
    @Test
    void aSlotThatIsNotMovedExpires() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build(); Admin admin = admin()) {
            writeAndFlush(db, 4);
            WalRetention slot = admin.createWalRetention("dead", 2, Duration.ofMinutes(1));
            assertEquals(clock.instant().plus(Duration.ofMinutes(1)), slot.expireTime());
            writeAndFlush(db, 4);
            clock.advance(Duration.ofSeconds(30));
            WalRetention refreshed = admin.moveWalRetention("dead", 2);
            assertEquals(clock.instant().plus(Duration.ofMinutes(1)), refreshed.expireTime(),
                    "a move starts the lifetime again");
            clock.advance(Duration.ofSeconds(45));
            collect();
            assertContiguousFrom(2, storedWalIds());
            clock.advance(Duration.ofSeconds(30));
            GarbageCollectorResult result = collect();
            assertEquals(List.of(refreshed.checkpointId()), result.expiredCheckpoints());
            assertEquals(List.of(), admin.listWalRetentions());
            assertContiguousFrom(replayAfter(admin), storedWalIds());
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.moveWalRetention("dead", 3)).kind());
        }
    }

    /** Bad slots fail with a typed error and leave nothing behind. */
    @Test
    void badSlotsFailClearly() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build(); Admin admin = admin()) {
            writeAndFlush(db, 4);
            collect();
            long oldest = storedWalIds().get(0);
            assertTrue(oldest > 2, "the collector took the WAL L0 covers: " + storedWalIds());
            WalTruncatedException gone = assertThrows(WalTruncatedException.class,
                    () -> admin.createWalRetention("late", 2, null));
            assertEquals(2, gone.walId());
            assertEquals(OptionalLong.of(oldest), gone.oldestAvailableWalId());
            assertEquals(List.of(), admin.listWalRetentions(), "the failed slot is removed again");

            admin.createWalRetention("slot", oldest, null);
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.createWalRetention("slot", oldest, null)).kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.moveWalRetention("slot", oldest - 1)).kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.createWalRetention("other", 0, null)).kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.createWalRetention("", oldest, null)).kind());
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.moveWalRetention("missing", oldest)).kind());
            assertEquals(1, admin.listWalRetentions().size());
            assertEquals(1, admin.listCheckpoints().size(), "one checkpoint stores the slot");
        }
    }
}
