package io.slatedb.metadata;

import io.slatedb.CloseReason;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class StoredObjectTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void close() {
        store.close();
    }

    private SequencedObjectStore<Counter> sequence() {
        return new SequencedObjectStore<>(store, "db/manifest", "manifest", Counter.CODEC,
                new BoundaryFile(store, "db/gc/manifest.boundary"));
    }

    private StoredObject<Counter> open() {
        return Futures.join(StoredObject.loadOrCreate(sequence(), new Counter(0, 0)));
    }

    @Test
    void loadOrCreateMakesVersionOneOnceAndLoadFindsIt() {
        assertEquals(1, open().current().id());
        assertEquals(1, open().current().id());
        assertEquals(1, Futures.join(StoredObject.load(sequence(), "counter")).current().id());
    }

    @Test
    void loadingAMissingObjectIsADataError() {
        SlateDbException e = assertThrows(SlateDbException.class,
                () -> Futures.join(StoredObject.load(sequence(), "manifest")));
        assertEquals(ErrorKind.DATA, e.kind());
        assertTrue(e.getMessage().contains("no manifest exists at db/manifest"), e.getMessage());
    }

    @Test
    void anUpdateOnAStaleViewLosesAndRefreshCatchesUp() {
        StoredObject<Counter> a = open();
        StoredObject<Counter> b = open();
        Futures.join(a.update(new Counter(0, 10)));
        assertThrows(ObjectVersionExistsException.class, () -> Futures.join(b.update(new Counter(0, 20))));
        assertEquals(new Counter(0, 10), Futures.join(b.refresh()).value());
        assertEquals(3, Futures.join(b.update(new Counter(0, 20))).id());
    }

    @Test
    void concurrentReadModifyWriteLosesNoUpdate() throws Exception {
        int writers = 4;
        int incrementsEach = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    StoredObject<Counter> mine = open();
                    start.await();
                    for (int i = 0; i < incrementsEach; i++) {
                        Futures.join(mine.maybeApplyUpdate(current -> Optional.of(current.value().plus(1))));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Versioned<Counter> latest = Futures.join(sequence().readLatest()).orElseThrow();
        assertEquals(writers * incrementsEach, latest.value().value());
        assertEquals(1 + writers * incrementsEach, latest.id(), "every committed version is one increment");
    }

    @Test
    void aMutatorThatFindsNothingToDoWritesNothing() {
        StoredObject<Counter> a = open();
        assertEquals(1, Futures.join(a.maybeApplyUpdate(current -> Optional.empty())).id());
        assertEquals(1, Futures.join(sequence().listIds()).size());
    }

    @Test
    void claimingBumpsTheEpochAndANewerClaimFencesTheOlder() {
        FenceableObject<Counter> first = Futures.join(FenceableObject.claim(open(), Counter.EPOCH, "writer",
                Duration.ofSeconds(10)));
        assertEquals(1, first.epoch());
        Futures.join(first.update(new Counter(0, 5)));
        assertEquals(1, first.current().value().epoch(), "updates carry the claimed epoch");

        FenceableObject<Counter> second = Futures.join(FenceableObject.claim(open(), Counter.EPOCH, "writer",
                Duration.ofSeconds(10)));
        assertEquals(2, second.epoch());

        assertFenced(() -> Futures.join(first.refresh()));
        assertFenced(() -> Futures.join(first.update(new Counter(0, 6))));
        assertFenced(() -> Futures.join(first.maybeApplyUpdate(c -> Optional.of(c.value().plus(1)))));
        assertEquals(new Counter(2, 5), Futures.join(second.maybeApplyUpdate(c -> Optional.of(c.value()))).value());
    }

    @Test
    void aFencedWritersStaleUpdateFailsWithoutOverwritingTheNewerWriter() {
        FenceableObject<Counter> first = Futures.join(FenceableObject.claim(open(), Counter.EPOCH, "writer",
                Duration.ofSeconds(10)));
        FenceableObject<Counter> second = Futures.join(FenceableObject.claim(open(), Counter.EPOCH, "writer",
                Duration.ofSeconds(10)));
        // The first writer has not refreshed: its update targets an id the second already took.
        assertThrows(ObjectVersionExistsException.class, () -> Futures.join(first.update(new Counter(0, 99))));
        assertFenced(() -> Futures.join(first.maybeApplyUpdate(c -> Optional.of(c.value().plus(1)))));
        Versioned<Counter> latest = Futures.join(sequence().readLatest()).orElseThrow();
        assertEquals(new Counter(2, 0), latest.value());
        assertEquals(2, second.epoch());
    }

    @Test
    void claimAtAnEpochAlreadyReachedIsFenced() {
        StoredObject<Counter> object = open();
        Futures.join(FenceableObject.claimAt(object, Counter.EPOCH, "compactor", 3, Duration.ofSeconds(10)));
        assertFenced(() -> Futures.join(FenceableObject.claimAt(open(), Counter.EPOCH, "compactor", 3,
                Duration.ofSeconds(10))));
        assertEquals(4, Futures.join(FenceableObject.claimAt(open(), Counter.EPOCH, "compactor", 4,
                Duration.ofSeconds(10))).epoch());
    }

    @Test
    void aStoredEpochBelowOursIsAnInternalError() {
        FenceableObject<Counter> writer = Futures.join(FenceableObject.claim(open(), Counter.EPOCH, "writer",
                Duration.ofSeconds(10)));
        // Someone broke the protocol and wrote an older epoch on top.
        StoredObject<Counter> rogue = open();
        Futures.join(rogue.update(new Counter(0, 1)));
        SlateDbException e = assertThrows(SlateDbException.class, () -> Futures.join(writer.refresh()));
        assertEquals(ErrorKind.INTERNAL, e.kind());
    }

    @Test
    void claimingGivesUpAfterItsTimeout() {
        StoredObject<Counter> object = open();
        StoredObject<Counter> other = open();
        Futures.join(other.update(new Counter(0, 1))); // `object` is now stale: its first attempt loses
        SlateDbException e = assertThrows(SlateDbException.class, () -> Futures.join(
                FenceableObject.claim(object, Counter.EPOCH, "writer", Duration.ZERO)));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        // With time to retry, the same claim succeeds after refreshing.
        assertEquals(1, Futures.join(FenceableObject.claim(object, Counter.EPOCH, "writer",
                Duration.ofSeconds(10))).epoch());
    }

    private static void assertFenced(Runnable action) {
        SlateDbException e = assertThrows(SlateDbException.class, action::run);
        assertEquals(ErrorKind.CLOSED, e.kind(), e.toString());
        assertEquals(CloseReason.FENCED, e.closeReason());
    }

    @SuppressWarnings("unused")
    private static <T> T join(CompletableFuture<T> f) {
        return Futures.join(f);
    }
}
