package io.slatedb;

import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.CallKind;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.RetryPolicy;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every handle retries transient store failures in every operation: for each operation of {@link Db},
 * {@link DbReader}, {@link WalChangeFeed}, {@link Admin}, {@link Compactor} and {@link GarbageCollector},
 * and for each kind of store call that operation makes (found by running it once without faults), one
 * transient failure is injected into the first call of that kind, and the operation must still succeed
 * with the right result. A permanent failure of the operation's first call must fail the operation at
 * once (the call is not retried) with a {@link SlateDbException}.
 *
 * <p>The handles retry with a 1 ns backoff and at most 3 attempts: nothing waits, and a missing retry
 * fails the test instead of hanging it.
 */
@Timeout(300)
class StoreRetriesTest {
    static final RetryPolicy QUICK = RetryPolicy.DEFAULT.withBackoff(Duration.ofNanos(1), Duration.ofNanos(1))
            .withMaxAttempts(3);

    /** No background work beyond the WAL flush of pending writes; no caches, so reads reach the store. */
    static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .manifestPollInterval(Duration.ofHours(1))
            .compactorOptions(null)
            .garbageCollectorOptions(null)
            .blockCacheBytes(0)
            .metaCacheBytes(0)
            .build();

    static final DbReaderOptions READER_OPTIONS = DbReaderOptions.builder()
            .manifestPollInterval(Duration.ofHours(1))
            .checkpointLifetime(Duration.ofHours(3))
            .blockCacheBytes(0)
            .metaCacheBytes(0)
            .build();

    /** Every collection task, deleting whatever is unreferenced and at least 1 ms old by {@link #LATER}. */
    static final GarbageCollectorOptions EAGER_GC;

    static {
        GarbageCollectorDirectoryOptions task = new GarbageCollectorDirectoryOptions(Duration.ofHours(1),
                Duration.ofMillis(1), false);
        EAGER_GC = GarbageCollectorOptions.builder().manifestOptions(task).walOptions(task).walFenceOptions(task)
                .compactedOptions(task).compactionsOptions(task).build();
    }

    /** A clock an hour ahead, so that every object written by the test is old enough to collect. */
    static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    static final SortedMap<String, String> SEEDED = new TreeMap<>(java.util.Map.of(
            "a", "1", "b", "2", "c", "3", "d", "4"));

    /** A handle operation, with the check of its result. */
    @FunctionalInterface
    interface Operation {
        void runAndCheck();
    }

    /** Builds the state an operation works on (without faults) and returns the operation. */
    @FunctionalInterface
    interface Scenario {
        Operation prepare(Fixture f);
    }

    record Named(String name, Scenario scenario) {
    }

    static List<Named> scenarios() {
        List<Named> all = new ArrayList<>();
        // ------------------------------------------------------------ Db
        all.add(new Named("Db open", f -> {
            f.seed("db");
            return () -> assertEquals(SEEDED, scanAll(f.db("db")));
        }));
        all.add(new Named("Db put", f -> {
            Db db = f.db("db");
            return () -> {
                db.put(b("k"), b("v"));
                assertEquals("v", s(db.get(b("k"))));
            };
        }));
        all.add(new Named("Db get", f -> {
            f.seed("db");
            Db db = f.db("db");
            return () -> assertEquals("3", s(db.get(b("c"))));
        }));
        all.add(new Named("Db scan", f -> {
            f.seed("db");
            Db db = f.db("db");
            return () -> assertEquals(SEEDED, scanAll(db));
        }));
        all.add(new Named("Db flush", f -> {
            Db db = f.db("db");
            db.put(b("k"), b("v"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            return () -> {
                db.flush(FlushType.MEMTABLE);
                assertEquals(Optional.of("v"), f.readOnce("db", "k"));
            };
        }));
        all.add(new Named("Db checkpoint", f -> {
            f.seed("db");
            Db db = f.db("db");
            db.put(b("k"), b("v"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            return () -> {
                CheckpointCreateResult created = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
                assertEquals(List.of(created.id()), f.checkpointIds("db"));
            };
        }));
        all.add(new Named("Db close", f -> {
            Db db = f.db("db");
            db.put(b("k"), b("v"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            return () -> {
                db.close();
                assertEquals(Optional.of("v"), f.readOnce("db", "k"));
            };
        }));
        // ------------------------------------------------------------ DbReader
        all.add(new Named("DbReader open", f -> {
            f.seed("db");
            return () -> assertEquals(SEEDED, scanAll(f.reader("db")));
        }));
        all.add(new Named("DbReader get", f -> {
            f.seed("db");
            DbReader reader = f.reader("db");
            return () -> assertEquals("2", s(reader.get(b("b"))));
        }));
        all.add(new Named("DbReader scan", f -> {
            f.seed("db");
            DbReader reader = f.reader("db");
            return () -> assertEquals(SEEDED, scanAll(reader));
        }));
        all.add(new Named("DbReader poll", f -> {
            f.seed("db");
            DbReader reader = f.reader("db");
            try (Db db = Db.builder("db", f.store).withSettings(SETTINGS).withRetryPolicy(QUICK).build()) {
                db.put(b("e"), b("5"));
                db.flush(FlushType.MEMTABLE);
            }
            return () -> {
                reader.pollNow();
                assertEquals("5", s(reader.get(b("e"))));
            };
        }));
        // ------------------------------------------------------------ WalChangeFeed
        all.add(new Named("WalChangeFeed poll", f -> {
            f.seed("db");
            WalChangeFeed feed = f.keep(WalChangeFeed.builder("db", f.store).withRetryPolicy(QUICK).build());
            return () -> {
                SortedMap<String, String> rows = new TreeMap<>();
                Optional<ChangeBatch> batch;
                while ((batch = feed.next(Duration.ZERO).join()).isPresent()) {
                    batch.get().rows().forEach(row -> rows.put(s(row.key()), s(row.value())));
                }
                assertEquals(SEEDED, rows);
            };
        }));
        // ------------------------------------------------------------ Admin
        all.add(new Named("Admin createDetachedCheckpoint", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            return () -> {
                CheckpointCreateResult created = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT);
                assertEquals(List.of(created.id()), f.checkpointIds("db"));
            };
        }));
        all.add(new Named("Admin listCheckpoints", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            UUID id = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT).id();
            return () -> assertEquals(List.of(id), admin.listCheckpoints().stream().map(CheckpointInfo::id).toList());
        }));
        all.add(new Named("Admin refreshCheckpoint", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            UUID id = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT).id();
            return () -> {
                CheckpointInfo refreshed = admin.refreshCheckpoint(id, Duration.ofHours(2));
                assertEquals(id, refreshed.id());
                assertNotNull(refreshed.expireTime());
            };
        }));
        all.add(new Named("Admin deleteCheckpoint", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            UUID id = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT).id();
            return () -> {
                assertTrue(admin.deleteCheckpoint(id));
                assertEquals(List.of(), f.checkpointIds("db"));
            };
        }));
        all.add(new Named("Admin readManifest", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            ManifestSnapshot expected = admin.readManifest().orElseThrow();
            return () -> assertEquals(Optional.of(expected), admin.readManifest());
        }));
        all.add(new Named("Admin listManifests", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            List<ManifestInfo> expected = admin.listManifests();
            return () -> assertEquals(expected, admin.listManifests());
        }));
        all.add(new Named("Admin createClone", f -> {
            UUID checkpoint = f.seedWithWalTail("src");
            Admin admin = f.admin("clone");
            return () -> {
                assertTrue(admin.createClone("src", checkpoint).internal().core().initialized());
                SortedMap<String, String> expected = new TreeMap<>(SEEDED);
                expected.put("wal-1", "5");
                expected.put("wal-2", "6");
                assertEquals(expected, scanAll(f.reader("clone")));
            };
        }));
        all.add(new Named("Admin deleteDb", f -> {
            f.seed("db");
            Admin admin = f.admin("db");
            List<String> objects = f.objects("db/");
            return () -> {
                assertEquals(objects, admin.deleteDb(true).stream().sorted().toList());
                assertEquals(List.of(), f.objects("db/"));
            };
        }));
        all.add(new Named("Admin runGarbageCollection", f -> {
            f.seed("db");
            Admin admin = f.keep(Admin.builder("db", f.store).withClock(LATER).withRetryPolicy(QUICK).build());
            List<String> collectable = admin.runGarbageCollection(EAGER_GC, true).allPaths();
            assertFalse(collectable.isEmpty());
            return () -> {
                assertEquals(collectable, admin.runGarbageCollection(EAGER_GC, false).allPaths());
                assertEquals(SEEDED, scanAll(f.reader("db")));
            };
        }));
        // ------------------------------------------------------------ Compactor, GarbageCollector
        all.add(new Named("Compactor runUntilIdle", f -> {
            f.seed("db");
            return () -> {
                try (Compactor compactor = Compactor.builder("db", f.store).withSettings(SETTINGS)
                        .withOptions(CompactorOptions.builder().minCompactionSources(2).build())
                        .withRetryPolicy(QUICK).build()) {
                    compactor.runUntilIdle();
                    assertTrue(compactor.completedCompactions() > 0, "it compacted");
                }
                assertEquals(SEEDED, scanAll(f.reader("db")));
            };
        }));
        all.add(new Named("GarbageCollector runOnce", f -> {
            f.seed("db");
            GarbageCollector collector = f.keep(GarbageCollector.builder("db", f.store).withOptions(EAGER_GC)
                    .withClock(LATER).withRetryPolicy(QUICK).build());
            List<String> collectable = collector.runOnce(true).allPaths();
            assertFalse(collectable.isEmpty());
            return () -> {
                assertEquals(collectable, collector.runOnce(false).allPaths());
                assertEquals(SEEDED, scanAll(f.reader("db")));
            };
        }));
        return all;
    }

    @TestFactory
    Stream<DynamicNode> oneTransientFailureOfAnyCallIsRetried() {
        return scenarios().stream().flatMap(named -> {
            Set<CallKind> kinds = callKinds(named.scenario());
            if (kinds.isEmpty()) {
                return Stream.of(DynamicTest.dynamicTest(named.name() + " makes store calls",
                        () -> fail(named.name() + " made no store call")));
            }
            return kinds.stream().map(kind -> DynamicTest.dynamicTest(named.name() + ", " + kind + " fails once",
                    () -> retriedOnce(named.scenario(), kind)));
        });
    }

    @TestFactory
    Stream<DynamicNode> aPermanentFailureFailsAtOnce() {
        return scenarios().stream().map(named -> DynamicTest.dynamicTest(named.name(),
                () -> failsPermanently(named.scenario())));
    }

    @Test
    void objectStoreMaxRetriesLimitsTheWritersAttempts() {
        for (int maxRetries : new int[]{0, 1, 2}) {
            try (Fixture f = new Fixture()) {
                // The first two attempts of the writer's first call fail: it needs two retries.
                f.store.inject(FaultRule.onEveryOperation(Fault.failTransiently()).times(2));
                Db.Builder builder = Db.builder("db", f.store).withRetryPolicy(QUICK)
                        .withSettings(SETTINGS.toBuilder().objectStoreMaxRetries(maxRetries).build());
                if (maxRetries < 2) {
                    SlateDbException e = assertThrows(SlateDbException.class, builder::build, "retries: " + maxRetries);
                    assertEquals(ErrorKind.UNAVAILABLE, e.kind());
                    assertEquals(maxRetries + 1, f.store.calls().size(), "attempts with " + maxRetries + " retries");
                } else {
                    f.keep(builder.build());
                }
            }
        }
    }

    @Test
    void settingsLimitAPolicysAttempts() {
        assertEquals(QUICK, Settings.DEFAULT.retryPolicy(QUICK), "no limit set");
        assertEquals(1, SETTINGS.toBuilder().objectStoreMaxRetries(0).build().retryPolicy(QUICK).maxAttempts());
        assertEquals(RetryPolicy.UNLIMITED_ATTEMPTS, SETTINGS.toBuilder().objectStoreMaxRetries(Integer.MAX_VALUE)
                .build().retryPolicy(RetryPolicy.DEFAULT).maxAttempts());
    }

    /** The kinds of store call the scenario's operation makes when nothing fails. */
    private static Set<CallKind> callKinds(Scenario scenario) {
        try (Fixture f = new Fixture()) {
            Operation operation = scenario.prepare(f);
            f.store.clearCalls();
            operation.runAndCheck();
            Set<CallKind> kinds = EnumSet.noneOf(CallKind.class);
            kinds.addAll(f.store.callKinds());
            return kinds;
        }
    }

    private static void retriedOnce(Scenario scenario, CallKind kind) {
        try (Fixture f = new Fixture()) {
            Operation operation = scenario.prepare(f);
            FaultInjectingObjectStore.InjectedFault fault = f.store.inject(
                    FaultRule.on(kind, Fault.failTransiently()).once());
            operation.runAndCheck();
            assertEquals(1, fault.fired(), "the failure was injected");
        }
    }

    private static void failsPermanently(Scenario scenario) {
        try (Fixture f = new Fixture()) {
            Operation operation = scenario.prepare(f);
            FaultInjectingObjectStore.InjectedFault fault = f.store.inject(
                    FaultRule.onEveryOperation(Fault.failPermanently()).once());
            Throwable thrown = null;
            try {
                operation.runAndCheck();
            } catch (RuntimeException | AssertionError e) {
                thrown = e instanceof CompletionException ? Futures.unwrap(e) : e;
            }
            assertEquals(1, fault.fired(), "the failure was injected");
            assertNotNull(thrown, "the operation failed");
            SlateDbException error = assertInstanceOf(SlateDbException.class, thrown);
            assertNotNull(error.kind());
        }
    }

    /** One store, and the handles opened on it (closed, after the faults are cleared, at the end). */
    static final class Fixture implements AutoCloseable {
        final InMemoryObjectStore memory = new InMemoryObjectStore();
        final FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);
        private final Deque<AutoCloseable> handles = new ArrayDeque<>();

        <T extends AutoCloseable> T keep(T handle) {
            handles.push(handle);
            return handle;
        }

        Db db(String path) {
            return keep(Db.builder(path, store).withSettings(SETTINGS).withRetryPolicy(QUICK).build());
        }

        DbReader reader(String path) {
            return keep(DbReader.builder(path, store).withOptions(READER_OPTIONS).withRetryPolicy(QUICK).build());
        }

        Admin admin(String path) {
            return keep(Admin.builder(path, store).withRetryPolicy(QUICK).build());
        }

        /** A database holding {@link #SEEDED} in two L0 SSTs, its writer closed. */
        void seed(String path) {
            try (Db db = Db.builder(path, store).withSettings(SETTINGS).build()) {
                db.put(b("a"), b("1"));
                db.put(b("b"), b("2"));
                db.flush(FlushType.MEMTABLE);
                db.put(b("c"), b("3"));
                db.put(b("d"), b("4"));
            }
        }

        /** {@link #seed} and then two WAL SSTs past L0, covered by the checkpoint returned. */
        UUID seedWithWalTail(String path) {
            seed(path);
            try (Db db = Db.builder(path, store).withSettings(SETTINGS).build()) {
                db.put(b("wal-1"), b("5"));
                db.flush(FlushType.WAL);
                db.put(b("wal-2"), b("6"));
                return db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT).id();
            }
        }

        /** The value of {@code key} as a new reader sees it. */
        Optional<String> readOnce(String path, String key) {
            try (DbReader reader = DbReader.builder(path, store).withOptions(READER_OPTIONS).withRetryPolicy(QUICK)
                    .build()) {
                return Optional.ofNullable(reader.get(b(key))).map(StoreRetriesTest::s);
            }
        }

        List<UUID> checkpointIds(String path) {
            try (Admin admin = Admin.builder(path, store).withRetryPolicy(QUICK).build()) {
                return admin.listCheckpoints().stream().map(CheckpointInfo::id).toList();
            }
        }

        /** The objects under {@code prefix}, read from the store beneath the faults. */
        List<String> objects(String prefix) {
            return Futures.join(memory.listAll(prefix)).stream().map(ObjectMetadata::path).sorted().toList();
        }

        @Override
        public void close() {
            store.clearFaults();
            while (!handles.isEmpty()) {
                try {
                    handles.pop().close();
                } catch (Exception e) {
                    // A handle the test failed on may fail to close as well; the store goes anyway.
                }
            }
            store.close();
        }
    }

    static SortedMap<String, String> scanAll(ReadMethods handle) {
        SortedMap<String, String> rows = new TreeMap<>();
        try (DbIterator it = handle.scan(null, null)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                rows.put(s(kv.key()), s(kv.value()));
            }
        }
        return rows;
    }

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
