package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.MutableClock;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.slatedb.WalRetentionTest.PATH;
import static io.slatedb.WalRetentionTest.SETTINGS;
import static io.slatedb.WalRetentionTest.WAL_ONLY;
import static io.slatedb.WalRetentionTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WAL retention slot created while a collector run is under way: the run read the manifest before the
 * slot existed, then the slot is written, then the run goes on. The slot must either be honoured (no WAL
 * file from its position on is deleted) or fail with {@link WalTruncatedException} and be gone; never a
 * slot that claims WAL the run deletes. The run is stopped at a chosen request by a held fault, both
 * before it publishes its deletion bound and after (at its first delete).
 */
@Timeout(60)
class WalRetentionRaceTest {
    private static final long WAIT_SECONDS = 30;
    private static final String WAL_DIR = DbLayout.of(PATH).walDir() + "/";

    private final ObjectStore store = new InMemoryObjectStore();
    /** The collector's view of the store, where its requests are held. */
    private final FaultInjectingObjectStore gcStore = new FaultInjectingObjectStore(store);
    private final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1))
            .truncatedTo(ChronoUnit.SECONDS));
    private Admin admin;
    private GarbageCollector gc;
    private long replayAfter;

    /** WAL files 1.. below the replay point, all collectable; the writer closed, so nothing moves. */
    @BeforeEach
    void writeWalThatL0Covers() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 6; i++) {
                db.put(b("k" + i), b("v" + i));
                db.flush(FlushType.WAL);
            }
            db.flush(FlushType.MEMTABLE);
        }
        admin = Admin.builder(PATH, store).withClock(clock).build();
        gc = GarbageCollector.builder(PATH, gcStore).withOptions(WAL_ONLY).withClock(clock).build();
        replayAfter = admin.readManifest().orElseThrow().internal().core().replayAfterWalId();
        assertTrue(replayAfter > 4, "the WAL below " + replayAfter + " is collectable");
        assertEquals(1, storedWalIds().get(0));
    }

    @AfterEach
    void close() {
        gc.close();
        admin.close();
        gcStore.close();
    }

    private List<Long> storedWalIds() {
        return Futures.join(store.listAll(WAL_DIR)).stream().map(o -> DbLayout.parseWalSstId(o.path()).orElseThrow())
                .sorted().toList();
    }

    /** The slot, or empty when its creation failed with a {@link WalTruncatedException}. */
    private Optional<WalRetention> tryCreateSlot(long walId) {
        try {
            return Optional.of(admin.createWalRetention("consumer", walId, null));
        } catch (WalTruncatedException refused) {
            assertEquals(walId, refused.walId());
            return Optional.empty();
        }
    }

    /** Every WAL file from {@code walId} to the newest that was stored before the run is still stored. */
    private void assertHeldFrom(long walId, List<Long> before) {
        List<Long> expected = before.stream().filter(id -> id >= walId).toList();
        assertEquals(expected, storedWalIds().stream().filter(id -> id >= walId).toList(),
                "a slot at " + walId + " exists, so its WAL must be stored");
    }

    /**
     * The run has listed the WAL, read the manifest and is deleting (its deletes are held) when the slot
     * is written below what it deletes: the slot is refused, since the run cannot see it any more.
     */
    @Test
    void aSlotWrittenWhileTheRunDeletesBelowItIsRefused() throws Exception {
        List<Long> before = storedWalIds();
        Fault.Hold deletes = Fault.hold();
        gcStore.inject(FaultRule.on(Operation.DELETE, deletes).forPaths(p -> p.startsWith(WAL_DIR)));
        CompletableFuture<GarbageCollectorResult> run = gc.runOnceAsync(false);
        deletes.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(run.isDone(), "the run waits on its held deletes, not the caller");

        Optional<WalRetention> slot = tryCreateSlot(2);
        deletes.release();
        GarbageCollectorResult result = run.get(WAIT_SECONDS, TimeUnit.SECONDS);

        if (slot.isPresent()) {
            assertHeldFrom(2, before);
        }
        assertTrue(slot.isEmpty(), "the run published its bound before it deleted: the slot sees it");
        assertEquals(List.of(), admin.listWalRetentions(), "the refused slot is removed again");
        assertFalse(result.allPaths().isEmpty());
        assertTrue(storedWalIds().get(0) > 2, "the run deleted what it chose: " + storedWalIds());
    }

    /**
     * The run has read the manifest and is publishing its bound (that write is held) when the slot is
     * written: the slot succeeds, and the run, re-reading the manifest after publishing, keeps its WAL.
     */
    @Test
    void aSlotWrittenBeforeTheRunPublishesItsBoundIsHonoured() throws Exception {
        List<Long> before = storedWalIds();
        Fault.Hold publishing = Fault.hold();
        gcStore.inject(FaultRule.on(Operation.PUT, publishing).forPath(DbLayout.of(PATH).walBoundaryPath()));
        CompletableFuture<GarbageCollectorResult> run = gc.runOnceAsync(false);
        publishing.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);

        WalRetention slot = tryCreateSlot(2).orElseThrow(() -> new AssertionError(
                "the bound is not published yet: nothing is deleted from 2 on, so the slot stands"));
        publishing.release();
        GarbageCollectorResult result = run.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertHeldFrom(2, before);
        assertEquals(List.of(slot), admin.listWalRetentions());
        assertEquals(List.of(DbLayout.of(PATH).walSstPath(1)), result.allPaths(),
                "only the WAL below the slot goes");
    }

    /** A slot at or above the published bound stands while the run deletes below it. */
    @Test
    void aSlotAboveTheBoundStandsWhileTheRunDeletes() throws Exception {
        List<Long> before = storedWalIds();
        Fault.Hold deletes = Fault.hold();
        gcStore.inject(FaultRule.on(Operation.DELETE, deletes).forPaths(p -> p.startsWith(WAL_DIR)));
        CompletableFuture<GarbageCollectorResult> run = gc.runOnceAsync(false);
        deletes.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);

        WalRetention slot = tryCreateSlot(replayAfter).orElseThrow();
        deletes.release();
        run.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertHeldFrom(slot.walId(), before);
        assertEquals(replayAfter, storedWalIds().get(0));
    }

    /**
     * A slot moves only forward and in one manifest write, so a move during a run needs no check: the
     * run, which read the slot at its old position, deletes only below that.
     */
    @Test
    void aSlotMovedWhileTheRunDeletesKeepsTheWalFromItsNewPosition() throws Exception {
        WalRetention slot = tryCreateSlot(2).orElseThrow();
        List<Long> before = storedWalIds();
        Fault.Hold deletes = Fault.hold();
        gcStore.inject(FaultRule.on(Operation.DELETE, deletes).forPaths(p -> p.startsWith(WAL_DIR)));
        CompletableFuture<GarbageCollectorResult> run = gc.runOnceAsync(false);
        deletes.reached().get(WAIT_SECONDS, TimeUnit.SECONDS);

        WalRetention moved = admin.moveWalRetention(slot.name(), 4);
        deletes.release();
        GarbageCollectorResult result = run.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertEquals(List.of(DbLayout.of(PATH).walSstPath(1)), result.allPaths(), "the run saw the slot at 2");
        assertHeldFrom(2, before);
        assertEquals(List.of(moved), admin.listWalRetentions());
        gc.runOnce(false);
        assertEquals(4, storedWalIds().get(0), "the next run takes what the move released");
    }

    /** The bound is an object of the database: deleting the database deletes it. */
    @Test
    void deletingTheDatabaseDeletesTheBound() {
        gc.runOnce(false);
        String bound = DbLayout.of(PATH).walBoundaryPath();
        assertTrue(Futures.join(store.listAll(bound)).stream().anyMatch(o -> o.path().equals(bound)));
        assertTrue(admin.deleteDb(true).contains(bound));
        assertEquals(List.of(), Futures.join(store.listAll(PATH + "/")));
    }
}
