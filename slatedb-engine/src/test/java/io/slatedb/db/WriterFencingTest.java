package io.slatedb.db;

import io.slatedb.CloseReason;
import io.slatedb.Db;
import io.slatedb.ErrorKind;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import io.slatedb.format.DbLayout;
import io.slatedb.testing.ForwardingObjectStore;
import io.slatedb.store.GetResult;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.slatedb.db.ReadSemanticsTest.bytes;
import static io.slatedb.db.ReadSemanticsTest.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two writers on one path: the newer one fences the older, whose next write, flush or durability wait
 * fails as CLOSED with reason FENCED; the older writer never writes a manifest or WAL file after the
 * newer one opened, nor over any object the newer one wrote; an idle fenced writer notices by polling
 * the manifest, within about {@code manifest_poll_interval}.
 */
@Timeout(60)
class WriterFencingTest {
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * No embedded compactor or collector: the tests check what each writer stored and read, and a
     * compactor polling on its own schedule (it is not the writer, and is not fenced with it) would add
     * manifests, and read them, whenever a slow run reached its poll.
     */
    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .manifestPollInterval(POLL)
            .l0SstSizeBytes(512)
            .l0MaxSsts(100)
            .compactorOptions(null)
            .garbageCollectorOptions(null)
            .build();

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void theOlderWriterFailsAsFencedAndNeverWritesOverTheNewerOne(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            CutOffStore firstStore = new CutOffStore(opened.store());
            CutOffStore secondStore = new CutOffStore(opened.store());
            Db first = Db.builder("db", firstStore).withSettings(SETTINGS).build();
            try {
                for (int i = 0; i < 40; i++) {
                    first.put(bytes("k" + i), bytes("first-" + i));
                }
                // Unflushed data in the older writer: memtable rows and a WAL buffer.
                List<WriteHandle> pending = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    pending.add(first.put(bytes("p" + i), bytes("pending-" + i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT));
                }
                try (Db second = Db.builder("db", secondStore).withSettings(SETTINGS).build()) {
                    second.put(bytes("k0"), bytes("second"));
                    second.flush(FlushType.MEMTABLE);

                    assertFenced(assertThrows(SlateDbException.class, () -> first.put(bytes("x"), bytes("y"))));
                    assertFenced(assertThrows(SlateDbException.class, () -> first.flush(FlushType.WAL)));
                    assertFenced(assertThrows(SlateDbException.class, () -> first.flush(FlushType.MEMTABLE)));
                    assertFenced(assertThrows(SlateDbException.class, () -> first.get(bytes("k1"))));
                    for (WriteHandle handle : pending) {
                        // Each pending write is either durable (it made it before the fence) or failed as fenced.
                        try {
                            Futures.join(handle.durable());
                        } catch (SlateDbException e) {
                            assertFenced(e);
                        }
                    }
                    first.close(); // a fenced writer closes without flushing, and without error

                    assertEquals("second", string(second.get(bytes("k0"))));
                    assertEquals("first-1", string(second.get(bytes("k1"))));
                    second.put(bytes("after"), bytes("fencing"));
                }
                // Epoch E is first written by the newer writer's first manifest put, and its fence is its
                // first WAL put; after those, the older writer stores no manifest or WAL file (a WAL file
                // that lands between the two takes an id the newer writer then skips, and is replayed).
                long epochWritten = firstOrder(secondStore, "/manifest/");
                long fenceWritten = firstOrder(secondStore, "/wal/");
                Set<String> secondsObjects = new HashSet<>();
                secondStore.storedPuts().forEach(p -> secondsObjects.add(p.path()));
                for (CutOffStore.StoredPut put : firstStore.storedPuts()) {
                    if (put.path().contains("/manifest/")) {
                        assertTrue(put.order() < epochWritten, "the fenced writer stored " + put.path()
                                + " after the newer writer's epoch");
                    }
                    if (put.path().contains("/wal/")) {
                        assertTrue(put.order() < fenceWritten, "the fenced writer stored " + put.path()
                                + " after the newer writer's fence");
                    }
                    assertTrue(!secondsObjects.contains(put.path()) || put.order() < epochWritten,
                            "the fenced writer wrote over " + put.path());
                }
            } finally {
                first.close();
            }
            try (Db third = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                assertEquals("second", string(third.get(bytes("k0"))));
                assertEquals("fencing", string(third.get(bytes("after"))));
            }
        }
    }

    /**
     * The first manifest poll that reads the newer writer's manifest fences the idle writer: the poll in
     * flight as the newer writer opens is held, let through once the newer manifest is stored, and every
     * later poll is held for good, so only that one poll can tell.
     */
    @ParameterizedTest
    @EnumSource(TestStore.class)
    void anIdleFencedWriterNoticesAtItsFirstPollAfterTheFence(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            OnePollStore polls = new OnePollStore(opened.store());
            try (Db first = Db.builder("db", polls).withSettings(SETTINGS).build()) {
                first.put(bytes("k"), bytes("v"));
                Futures.join(polls.holdFromNextPoll());
                try (Db second = Db.builder("db", opened.store()).withSettings(SETTINGS).build()) {
                    // Reads write nothing, so only the manifest poll can tell the first writer.
                    Futures.join(polls.letOnePollThrough());
                    // That poll ended; fencing is its own continuation. The bound only guards against a hang.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (true) {
                        try {
                            first.get(bytes("k"));
                        } catch (SlateDbException e) {
                            assertFenced(e);
                            break;
                        }
                        if (System.nanoTime() - deadline > 0) {
                            fail("the poll that read the newer writer's manifest did not fence the idle writer");
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                    assertEquals("v", string(second.get(bytes("k"))));
                } finally {
                    polls.openForGood();
                }
            }
        }
    }

    /**
     * A writer's store that, once told, holds its manifest reads: the read of the poll in flight until
     * {@link #letOnePollThrough()}, then that poll's reads go on up to the first miss (a poll probes
     * upward from the last manifest it saw until one is missing), and every later read is held until
     * {@link #openForGood()}. Polls run one at a time, so the reads between are that one poll's.
     */
    private static final class OnePollStore extends ForwardingObjectStore {
        private final CompletableFuture<Void> held = new CompletableFuture<>();
        private final CompletableFuture<Void> released = new CompletableFuture<>();
        private final CompletableFuture<Void> pollEnded = new CompletableFuture<>();
        private final CompletableFuture<Void> openedForGood = new CompletableFuture<>();
        private volatile boolean holding;

        OnePollStore(ObjectStore inner) {
            super(inner, "one-poll");
        }

        /** Holds manifest reads from now on; completes once the next poll's first read is held. */
        CompletableFuture<Void> holdFromNextPoll() {
            holding = true;
            return held;
        }

        /** Lets the held poll read; completes when it has read up to the first missing manifest. */
        CompletableFuture<Void> letOnePollThrough() {
            released.complete(null);
            return pollEnded;
        }

        void openForGood() {
            released.complete(null);
            openedForGood.complete(null);
        }

        @Override
        public CompletableFuture<GetResult> get(String path) {
            if (!holding || DbLayout.parseManifestId(path).isEmpty()) {
                return inner.get(path);
            }
            if (pollEnded.isDone()) {
                return openedForGood.thenCompose(unused -> inner.get(path));
            }
            held.complete(null);
            return released.thenCompose(unused -> inner.get(path)).whenComplete((result, error) -> {
                if (error != null) {
                    pollEnded.complete(null); // the probe's miss: the poll has read all there is
                }
            });
        }
    }

    private static long firstOrder(CutOffStore store, String directory) {
        return store.storedPuts().stream().filter(p -> p.path().contains(directory))
                .mapToLong(CutOffStore.StoredPut::order).min().orElseThrow();
    }

    private static void assertFenced(SlateDbException e) {
        assertEquals(ErrorKind.CLOSED, e.kind(), e.toString());
        assertEquals(CloseReason.FENCED, e.closeReason(), e.toString());
    }
}
