package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.util.Futures;
import io.slatedb.testing.ManualDelayScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WalChangeFeed}: every write once, in order, across restarts; waiting when caught up; truncation. */
@Timeout(120)
class WalChangeFeedTest {
    static final String PATH = "db";
    static final Settings SETTINGS = Settings.builder().flushInterval(Duration.ofMillis(5)).build();

    enum StoreKind { MEMORY, LOCAL_DIRECTORY }

    @TempDir
    Path dir;

    private ObjectStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private ObjectStore open(StoreKind kind) {
        store = kind == StoreKind.MEMORY ? new InMemoryObjectStore() : new LocalDirectoryObjectStore(dir);
        return store;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What a consumer must see of one write: (seq, key, kind, value). */
    record Change(long seq, String key, ChangeKind kind, String value) {
        static Change of(ChangeRow row) {
            return new Change(row.seq(), new String(row.key(), StandardCharsets.UTF_8), row.kind(),
                    row.value() == null ? null : new String(row.value(), StandardCharsets.UTF_8));
        }
    }

    /** A writer that puts, deletes and writes batches, restarting itself half-way (which writes a fence). */
    private List<Change> writeWorkload(int writes) {
        List<Change> expected = new ArrayList<>();
        Db db = Db.builder(PATH, store).withSettings(SETTINGS).build();
        try {
            for (int i = 0; i < writes; i++) {
                if (i == writes / 2) {
                    db.close();
                    db = Db.builder(PATH, store).withSettings(SETTINGS).build();
                }
                String key = "k" + (i % 37);
                if (i % 10 == 3) {
                    WriteHandle h = db.write(new WriteBatch().put(b("x" + i), b("bx" + i)).put(b("y" + i), b("by" + i))
                            .delete(b(key)));
                    expected.add(new Change(h.seq(), key, ChangeKind.DELETE, null));
                    expected.add(new Change(h.seq(), "x" + i, ChangeKind.PUT, "bx" + i));
                    expected.add(new Change(h.seq(), "y" + i, ChangeKind.PUT, "by" + i));
                } else if (i % 7 == 0) {
                    expected.add(new Change(db.delete(b(key)).seq(), key, ChangeKind.DELETE, null));
                } else {
                    expected.add(new Change(db.put(b(key), b("v" + i)).seq(), key, ChangeKind.PUT, "v" + i));
                }
                if (i % 50 == 49) {
                    db.flush(FlushType.MEMTABLE);
                }
            }
        } finally {
            db.close();
        }
        return expected;
    }

    /**
     * A concurrent writer's every write arrives exactly once and in sequence order, while the consumer
     * restarts its feed every few batches from the WAL id it saved; the writer's own restart shows as an
     * empty batch (its fence) that still moves the position.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deliversEveryWriteOnceInOrderAcrossRestarts(StoreKind kind) throws Exception {
        open(kind);
        int writes = 240;
        Db.builder(PATH, store).withSettings(SETTINGS).build().close(); // the database exists before the feed starts
        CompletableFuture<List<Change>> writer = CompletableFuture.supplyAsync(() -> writeWorkload(writes));
        List<Change> seen = new ArrayList<>();
        long saved = 0;
        int emptyBatches = 0;
        WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withPollInterval(Duration.ofMillis(10)).build();
        try {
            int batches = 0;
            while (true) {
                // Asked before the poll: a writer that stopped after the poll's last look may have written
                // files that poll did not see, so only an empty poll begun after it stopped ends the loop.
                boolean writerStopped = writer.isDone();
                Optional<ChangeBatch> batch = feed.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    if (writerStopped) {
                        break; // caught up with a writer that has stopped
                    }
                    continue;
                }
                assertEquals(saved + 1, batch.get().walId(), "WAL ids increase by one");
                batch.get().rows().forEach(row -> seen.add(Change.of(row)));
                if (batch.get().rows().isEmpty()) {
                    emptyBatches++;
                }
                saved = batch.get().walId();
                if (++batches % 5 == 0) {
                    feed.close();
                    feed = WalChangeFeed.builder(PATH, store).withStartAt(saved + 1).withPollInterval(Duration.ofMillis(10))
                            .build();
                }
            }
        } finally {
            feed.close();
        }
        List<Change> expected = writer.get(60, TimeUnit.SECONDS);
        // Within one write batch the WAL orders rows by key; compare batches as sets of rows in seq order.
        assertEquals(sorted(expected), sorted(seen));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(Long.compareUnsigned(seen.get(i - 1).seq(), seen.get(i).seq()) <= 0, "sequence order");
        }
        assertTrue(emptyBatches >= 1, "the second writer's fence is delivered as an empty batch");
    }

    private static List<Change> sorted(List<Change> changes) {
        List<Change> copy = new ArrayList<>(changes);
        copy.sort((a, c) -> a.seq() != c.seq() ? Long.compareUnsigned(a.seq(), c.seq()) : a.key().compareTo(c.key()));
        return copy;
    }

    @Test
    void rowsCarryTheirTimestamps() {
        open(StoreKind.MEMORY);
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build();
             WalChangeFeed feed = WalChangeFeed.builder(PATH, store).build()) {
            WriteHandle h = db.put(b("k"), b("v"), PutOptions.builder().ttl(Ttl.expireAfter(Duration.ofSeconds(5)))
                    .build());
            ChangeRow row = null;
            while (row == null) {
                ChangeBatch batch = feed.poll(Duration.ZERO).orElseThrow();
                row = batch.rows().isEmpty() ? null : batch.rows().get(0);
            }
            assertEquals(h.seq(), row.seq());
            assertEquals(OptionalLong.of(h.createTs()), row.createTs());
            assertEquals(OptionalLong.of(h.createTs() + 5000), row.expireTs());
        }
    }

    /** Caught up, the feed waits (bounded by the caller's timeout) and returns the next file when it appears. */
    @Test
    void waitsForTheNextFileUpToTheTimeout() throws Exception {
        open(StoreKind.MEMORY);
        ManualDelayScheduler time = new ManualDelayScheduler();
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build();
             WalChangeFeed feed = WalChangeFeed.builder(PATH, store).waits(time).build()) {
            db.put(b("a"), b("1"));
            while (feed.poll(Duration.ZERO).isPresent()) {
                // drain what exists
            }
            CompletableFuture<Optional<ChangeBatch>> next = feed.next(Duration.ofSeconds(5));
            assertFalse(next.isDone());
            assertEquals(1, time.pending());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> Futures.join(feed.next(Duration.ZERO))).kind(), "calls must not overlap");
            time.advance(Duration.ofSeconds(1));
            assertFalse(next.isDone());
            WriteHandle h = db.put(b("b"), b("2"));
            time.advance(Duration.ofSeconds(1));
            ChangeBatch batch = next.get(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals(List.of(h.seq()), batch.rows().stream().map(ChangeRow::seq).toList());

            CompletableFuture<Optional<ChangeBatch>> timedOut = feed.next(Duration.ofMillis(2500));
            time.advance(Duration.ofSeconds(2));
            assertFalse(timedOut.isDone());
            time.advance(Duration.ofMillis(500));
            assertEquals(Optional.empty(), timedOut.get(10, TimeUnit.SECONDS));
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofMillis(500)), time.requestedDelays());
        }
    }

    /**
     * The feed finds no file N and, before it reads the manifest, the writer stores N and publishes an L0
     * flush past it: the manifest then says N was written, yet N is stored, not collected, and is
     * delivered. (Under load this interleaving once failed the restart test with "id 102 is missing".)
     */
    @Test
    void aFileWrittenWhileTheFeedReadsTheManifestIsDeliveredNotReportedMissing() throws Exception {
        open(StoreKind.MEMORY);
        FaultInjectingObjectStore feedStore = new FaultInjectingObjectStore(store);
        String manifests = DbLayout.of(PATH).manifestDir() + "/";
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build();
             WalChangeFeed feed = WalChangeFeed.builder(PATH, feedStore).build()) {
            while (feed.poll(Duration.ZERO).isPresent()) {
                // drain what exists: the next look finds no file
            }
            long next = feed.nextWalId();
            Fault.Hold manifestRead = Fault.hold();
            feedStore.inject(FaultRule.on(EnumSet.of(Operation.GET, Operation.LIST), manifestRead)
                    .forPaths(p -> p.startsWith(manifests)));
            CompletableFuture<Optional<ChangeBatch>> look = feed.next(Duration.ZERO);
            manifestRead.reached().get(10, TimeUnit.SECONDS); // it found no file `next` and reads the manifest

            WriteHandle h = db.put(b("k"), b("v")); // durable: stored as file `next`
            db.flush(FlushType.MEMTABLE);            // the manifest's next WAL id passes it
            try (Admin admin = Admin.builder(PATH, store).build()) {
                assertTrue(admin.readManifest().orElseThrow().manifest().nextWalSstId() > next,
                        "the manifest the feed is about to read says file " + next + " was written");
            }
            manifestRead.release();

            ChangeBatch batch = look.get(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals(next, batch.walId());
            assertEquals(List.of(new Change(h.seq(), "k", ChangeKind.PUT, "v")),
                    batch.rows().stream().map(Change::of).toList());
            assertEquals(next + 1, feed.nextWalId());
        }
    }

    /** A WAL file the manifest says existed but that is gone is reported, never skipped. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reportsAGarbageCollectedWalFile(StoreKind kind) {
        open(kind);
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 5; i++) {
                db.put(b("k" + i), b("v" + i));
            }
            db.flush(FlushType.MEMTABLE);
        }
        Futures.join(store.delete(DbLayout.of(PATH).walSstPath(2)));
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).build()) {
            assertEquals(1, feed.poll(Duration.ZERO).orElseThrow().walId());
            SlateDbException e = assertThrows(SlateDbException.class, () -> feed.poll(Duration.ofSeconds(5)));
            WalTruncatedException truncated = assertInstanceOf(WalTruncatedException.class, e);
            assertEquals(ErrorKind.DATA, truncated.kind());
            assertEquals(2, truncated.walId());
            assertEquals(2, feed.nextWalId(), "the position stays at the missing file");
            assertThrows(WalTruncatedException.class, () -> feed.poll(Duration.ZERO));
        }
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withStartAt(3).build()) {
            assertEquals(3, feed.poll(Duration.ZERO).orElseThrow().walId());
        }
    }

    /**
     * The stored range is what a listing shows, from both the feed and the admin; a feed starting below
     * it fails with the missing id and the oldest one still there, and starts cleanly at that one.
     */
    @Test
    void tellsTheStoredRangeAndTheOldestAvailableId() {
        open(StoreKind.MEMORY);
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            for (int i = 0; i < 5; i++) {
                db.put(b("k" + i), b("v" + i));
            }
            db.flush(FlushType.MEMTABLE);
        }
        DbLayout layout = DbLayout.of(PATH);
        long newest = Futures.join(store.listAll(layout.walDir() + "/")).stream()
                .map(o -> DbLayout.parseWalSstId(o.path()).orElseThrow()).max(Long::compare).orElseThrow();
        assertTrue(newest >= 4, "a fence, five writes and the close's flush: " + newest);
        Futures.join(store.delete(layout.walSstPath(1)));
        Futures.join(store.delete(layout.walSstPath(2)));
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).build();
             Admin admin = Admin.builder(PATH, store).build()) {
            assertEquals(Optional.of(new WalRange(3, newest)), feed.walRange());
            assertEquals(feed.walRange(), admin.walRange());
            WalTruncatedException e = assertThrows(WalTruncatedException.class, () -> feed.poll(Duration.ZERO));
            assertEquals(1, e.walId());
            assertEquals(OptionalLong.of(3), e.oldestAvailableWalId());
        }
        try (WalChangeFeed feed = WalChangeFeed.builder(PATH, store).withStartAt(3).build()) {
            assertEquals(3, feed.poll(Duration.ZERO).orElseThrow().walId());
        }
        try (Admin admin = Admin.builder("nothing", store).build()) {
            assertEquals(Optional.empty(), admin.walRange(), "no WAL stored: no range");
        }
    }

    @Test
    void closedFeedsAndBadStartsFail() {
        open(StoreKind.MEMORY);
        assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                () -> WalChangeFeed.builder(PATH, store).withStartAt(0)).kind());
        WalChangeFeed feed = WalChangeFeed.builder(PATH, store).build();
        assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class, () -> feed.poll(Duration.ZERO)).kind(),
                "no database");
        feed.close();
        feed.close();
        assertEquals(ErrorKind.CLOSED, assertThrows(SlateDbException.class, () -> feed.poll(Duration.ZERO)).kind());
    }
}
