package io.slatedb;

import io.slatedb.testing.MutableClock;
import io.slatedb.manifest.Manifest;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.LsmScan;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.ScanParams;
import io.slatedb.reader.TableStore;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints created through the writer ({@link Db#createCheckpoint}) and managed through {@link Admin}. */
@Timeout(60)
class CheckpointTest {
    /**
     * No embedded compactor: the tests count the writer's L0 SSTs, which a compactor on its own schedule
     * would move into a sorted run whenever a slow run reaches its poll.
     */
    static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .l0MaxSsts(100_000)
            .l0MaxSstsPerKey(100_000)
            .compactorOptions(null)
            .build();

    enum StoreKind { MEMORY, LOCAL_DIRECTORY }

    @TempDir
    Path dir;

    private ObjectStore store;

    private ObjectStore open(StoreKind kind) {
        store = kind == StoreKind.MEMORY ? new InMemoryObjectStore() : new LocalDirectoryObjectStore(dir);
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Every visible key and value in the tree of a stored manifest (what a reader of that checkpoint sees in L0 and below). */
    static TreeMap<String, String> contents(ObjectStore store, String path, Manifest manifest) {
        TableStore tables = new TableStore(store, path);
        ReadView view = ReadView.of(List.of(), manifest.core().tree(), tables.paths(manifest.externalDbs()));
        TreeMap<String, String> rows = new TreeMap<>();
        try (LsmScan scan = new LsmReader(tables).scan(view, KeyRange.all(), manifest.core().lastL0Seq(),
                ScanParams.DEFAULTS)) {
            for (RowEntry row = Futures.join(scan.next()); row != null; row = Futures.join(scan.next())) {
                rows.put(s(row.key()), s(row.value()));
            }
        }
        return rows;
    }

    static Manifest manifest(Admin admin, long id) {
        return admin.readManifest(id).orElseThrow(() -> new AssertionError("no manifest " + id)).internal();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void allScopeFlushesEveryWriteIntoThePinnedManifest(StoreKind kind) {
        ObjectStore store = open(kind);
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("db", store).build()) {
            for (int i = 0; i < 20; i++) {
                db.put(b("k" + i), b("v" + i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            }
            CheckpointCreateResult created = db.createCheckpoint(CheckpointScope.ALL,
                    CheckpointOptions.builder().name("all").lifetime(Duration.ofHours(1)).build());

            ManifestSnapshot latest = admin.readManifest().orElseThrow();
            assertEquals(latest.id(), created.manifestId(), "pins the manifest that added it");
            Manifest pinned = manifest(admin, created.manifestId());
            assertEquals(20, contents(store, "db", pinned).size());
            assertEquals("v7", contents(store, "db", pinned).get("k7"));
            assertEquals(db.lastSeq(), pinned.core().lastL0Seq());

            List<CheckpointInfo> listed = admin.listCheckpoints();
            assertEquals(1, listed.size());
            CheckpointInfo info = listed.get(0);
            assertEquals(created.id(), info.id());
            assertEquals(created.manifestId(), info.manifestId());
            assertEquals("all", info.name());
            assertEquals(info.createTime().plus(Duration.ofHours(1)), info.expireTime());
            assertEquals(4, created.id().version());
            assertEquals(latest.checkpoints(), listed);
            assertEquals(1, latest.writerEpoch());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void durableScopeFlushesNothingButItsWalRangeCoversDurableWrites(StoreKind kind) {
        ObjectStore store = open(kind);
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("db", store).build()) {
            db.put(b("a"), b("1")); // waits until durable in the WAL
            db.put(b("b"), b("2"));
            CheckpointCreateResult created = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
            Manifest pinned = manifest(admin, created.manifestId());
            assertTrue(pinned.core().l0().isEmpty(), "no memtable was flushed");
            assertEquals(0, pinned.core().lastL0Seq());
            long lastWal = pinned.core().nextWalSstId() - 1;
            assertTrue(lastWal > pinned.core().replayAfterWalId(), "the WAL range holds the writes");
            assertTrue(Futures.join(store.head(io.slatedb.format.DbLayout.of("db").walSstPath(lastWal))).size() > 0,
                    "the last WAL file of the range is durable and not a fence");
            assertEquals(List.of(created.id()), admin.listCheckpoints().stream().map(CheckpointInfo::id).toList());
            assertEquals("2", s(db.get(b("b"))));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void adminCreatesListsRefreshesAndDeletesWithoutFencingTheWriter(StoreKind kind) {
        ObjectStore store = open(kind);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T07:00:00Z"));
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("db", store).withClock(clock).build()) {
            db.put(b("a"), b("1"));
            db.flush(FlushType.MEMTABLE);
            long before = admin.readManifest().orElseThrow().id();
            CheckpointCreateResult detached = admin.createDetachedCheckpoint(CheckpointOptions.builder()
                    .name("detached").lifetime(Duration.ofMinutes(5)).build());
            assertEquals(before + 1, detached.manifestId(), "pins the manifest that adds it");
            CheckpointCreateResult second = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT);
            assertEquals(before + 2, second.manifestId());

            CheckpointInfo refreshed = admin.refreshCheckpoint(detached.id(), Duration.ofDays(2));
            assertEquals(Instant.parse("2026-11-24T07:00:00Z"), refreshed.expireTime());
            assertEquals(Instant.parse("2026-11-22T07:00:00Z"), refreshed.createTime());
            assertNull(admin.refreshCheckpoint(detached.id(), null).expireTime());

            assertEquals(List.of(detached.id()), admin.listCheckpoints("detached").stream().map(CheckpointInfo::id).toList());
            assertEquals(List.of(second.id()), admin.listCheckpoints("").stream().map(CheckpointInfo::id).toList());

            // The writer keeps writing (not fenced) and its next manifest update keeps the admin's checkpoints.
            db.put(b("b"), b("2"));
            db.flush(FlushType.MEMTABLE);
            ManifestSnapshot latest = admin.readManifest().orElseThrow();
            assertEquals(1, latest.writerEpoch(), "the admin never bumps the writer epoch");
            assertEquals(Set.of(detached.id(), second.id()), ids(latest.checkpoints()));
            assertEquals(2, latest.internal().core().l0().size());

            assertTrue(admin.deleteCheckpoint(detached.id()));
            assertFalse(admin.deleteCheckpoint(detached.id()), "deleting a missing checkpoint is no error");
            assertEquals(Set.of(second.id()), ids(admin.listCheckpoints()));
            assertEquals("2", s(db.get(b("b"))));
        }
    }

    @Test
    void readManifestAndListManifests() {
        ObjectStore store = open(StoreKind.MEMORY);
        try (Admin admin = Admin.builder("db", store).build()) {
            assertTrue(admin.readManifest().isEmpty());
            assertTrue(admin.listManifests().isEmpty());
            SlateDbException e = assertThrows(SlateDbException.class, admin::listCheckpoints);
            assertEquals(ErrorKind.DATA, e.kind());
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT)).kind());
            try (Db db = Db.builder("db", store).withSettings(SETTINGS).build()) {
                db.put(b("a"), b("1"));
            }
            List<ManifestInfo> manifests = admin.listManifests();
            assertEquals(admin.readManifest().orElseThrow().id(), manifests.get(manifests.size() - 1).id());
            for (int i = 0; i < manifests.size(); i++) {
                assertEquals(i + 1, manifests.get(i).id());
                assertEquals(io.slatedb.format.DbLayout.of("db").manifestPath(i + 1), manifests.get(i).path());
                assertTrue(manifests.get(i).sizeBytes() > 0);
                assertEquals(i + 1, admin.readManifest(i + 1).orElseThrow().id());
            }
            assertTrue(admin.readManifest(manifests.size() + 1).isEmpty());
            assertTrue(admin.readManifest(0).isEmpty());
        }
    }

    @Test
    void missingCheckpointsAreTypedErrors() {
        ObjectStore store = open(StoreKind.MEMORY);
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("db", store).build()) {
            UUID missing = UUID.randomUUID();
            SlateDbException refresh = assertThrows(SlateDbException.class,
                    () -> admin.refreshCheckpoint(missing, Duration.ofMinutes(1)));
            assertEquals(ErrorKind.DATA, refresh.kind());
            assertTrue(refresh.getMessage().contains(missing.toString()), refresh.getMessage());

            CheckpointOptions fromMissing = CheckpointOptions.builder().source(missing).build();
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.createDetachedCheckpoint(fromMissing)).kind());
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> db.createCheckpoint(CheckpointScope.ALL, fromMissing)).kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.refreshCheckpoint(missing, Duration.ofSeconds(-1))).kind());
            assertFalse(admin.deleteCheckpoint(missing));
            assertTrue(admin.listCheckpoints().isEmpty());

            // The writer survives the failed checkpoint.
            db.put(b("a"), b("1"));
            assertEquals("1", s(db.get(b("a"))));
            db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
        }
        Admin closed = Admin.builder("db", store).build();
        closed.close();
        SlateDbException e = assertThrows(SlateDbException.class, closed::listCheckpoints);
        assertEquals(ErrorKind.CLOSED, e.kind());
        assertEquals(CloseReason.CLEAN, e.closeReason());
    }

    @Test
    void closedWriterCannotCheckpoint() {
        ObjectStore store = open(StoreKind.MEMORY);
        Db db = Db.builder("db", store).withSettings(SETTINGS).build();
        db.close();
        SlateDbException e = assertThrows(SlateDbException.class,
                () -> db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT));
        assertEquals(ErrorKind.CLOSED, e.kind());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void sourceCheckpointPinsTheSourceManifest(StoreKind kind) {
        ObjectStore store = open(kind);
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).build();
             Admin admin = Admin.builder("db", store).build()) {
            db.put(b("k"), b("old"));
            CheckpointCreateResult source = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
            db.put(b("k"), b("new"));
            db.flush(FlushType.MEMTABLE);

            CheckpointCreateResult viaDb = db.createCheckpoint(CheckpointScope.ALL,
                    CheckpointOptions.builder().source(source.id()).name("copy").build());
            CheckpointCreateResult viaAdmin = admin.createDetachedCheckpoint(
                    CheckpointOptions.builder().source(source.id()).lifetime(Duration.ofMinutes(1)).build());
            assertEquals(source.manifestId(), viaDb.manifestId());
            assertEquals(source.manifestId(), viaAdmin.manifestId());
            assertEquals("old", contents(store, "db", manifest(admin, viaDb.manifestId())).get("k"));
            assertEquals(Set.of(source.id(), viaDb.id(), viaAdmin.id()), ids(admin.listCheckpoints()));
            assertEquals(3, Set.of(source.id(), viaDb.id(), viaAdmin.id()).size());
        }
    }

    @Test
    void expiredCheckpointsAreDroppedByTheWriterAndByRemoveExpired() {
        ObjectStore store = open(StoreKind.MEMORY);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T07:00:00.500Z"));
        try (Db db = Db.builder("db", store).withSettings(SETTINGS).withClock(clock).build();
             Admin admin = Admin.builder("db", store).withClock(clock).build()) {
            CheckpointCreateResult shortLived = db.createCheckpoint(CheckpointScope.DURABLE,
                    CheckpointOptions.builder().lifetime(Duration.ofSeconds(10)).build());
            CheckpointCreateResult longLived = admin.createDetachedCheckpoint(
                    CheckpointOptions.builder().lifetime(Duration.ofHours(1)).build());
            CheckpointCreateResult forever = admin.createDetachedCheckpoint(CheckpointOptions.DEFAULT);
            assertEquals(Instant.parse("2026-11-22T07:00:10Z"), find(admin, shortLived.id()).expireTime(),
                    "second precision, rounded down");

            clock.advance(Duration.ofSeconds(9));
            db.put(b("a"), b("1"));
            db.flush(FlushType.MEMTABLE);
            assertEquals(3, admin.listCheckpoints().size(), "not expired yet");

            clock.advance(Duration.ofSeconds(1)); // exactly at its expiry: expired
            assertTrue(find(admin, shortLived.id()).isExpiredAt(clock.instant()));
            db.put(b("b"), b("2"));
            db.flush(FlushType.MEMTABLE); // the writer's L0 publish drops it
            assertEquals(Set.of(longLived.id(), forever.id()), ids(admin.listCheckpoints()));

            clock.advance(Duration.ofHours(1));
            assertEquals(0, admin.removeExpiredCheckpoints() - 1, "the one-hour checkpoint");
            assertEquals(Set.of(forever.id()), ids(admin.listCheckpoints()));
            assertEquals(0, admin.removeExpiredCheckpoints());

            // A refreshed checkpoint lives on; a writer checkpoint update drops expired ones too.
            CheckpointCreateResult refreshedOne = admin.createDetachedCheckpoint(
                    CheckpointOptions.builder().lifetime(Duration.ofSeconds(5)).build());
            CheckpointCreateResult expiring = admin.createDetachedCheckpoint(
                    CheckpointOptions.builder().lifetime(Duration.ofSeconds(5)).build());
            admin.refreshCheckpoint(refreshedOne.id(), Duration.ofMinutes(10));
            clock.advance(Duration.ofSeconds(6));
            CheckpointCreateResult fresh = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
            assertEquals(Set.of(forever.id(), refreshedOne.id(), fresh.id()), ids(admin.listCheckpoints()));
            assertFalse(ids(admin.listCheckpoints()).contains(expiring.id()));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pinnedManifestStillReadsExactlyItsDataAfterHeavyOverwrites(StoreKind kind) {
        ObjectStore store = open(kind);
        Settings small = SETTINGS.toBuilder().l0SstSizeBytes(4 * 1024).build();
        try (Db db = Db.builder("db", store).withSettings(small).build();
             Admin admin = Admin.builder("db", store).build()) {
            TreeMap<String, String> expected = new TreeMap<>();
            for (int i = 0; i < 500; i++) {
                String key = String.format("key%04d", i % 200);
                String value = "first-" + i;
                db.put(b(key), b(value), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                expected.put(key, value);
            }
            db.delete(b("key0003"), WriteOptions.NO_AWAIT);
            expected.remove("key0003");
            CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.ALL,
                    CheckpointOptions.builder().name("before-overwrites").build());

            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 200; i++) {
                    String key = String.format("key%04d", i);
                    if (i % 8 == round) {
                        db.delete(b(key), WriteOptions.NO_AWAIT);
                    } else {
                        db.put(b(key), b("round-" + round + "-" + i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                    }
                }
                db.put(b("zzz-new-" + round), b("x"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                db.flush(FlushType.MEMTABLE);
            }
            CheckpointCreateResult after = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
            assertTrue(after.manifestId() > checkpoint.manifestId() + 8);

            assertEquals(expected, contents(store, "db", manifest(admin, checkpoint.manifestId())));
            TreeMap<String, String> now = contents(store, "db", manifest(admin, after.manifestId()));
            assertEquals("round-7-0", now.get("key0000"));
            assertNull(now.get("key0007"));
            assertEquals("x", now.get("zzz-new-7"));
            assertEquals(Set.of(checkpoint.id(), after.id()), ids(admin.listCheckpoints()));
        }
    }

    static Set<UUID> ids(List<CheckpointInfo> checkpoints) {
        return checkpoints.stream().map(CheckpointInfo::id).collect(Collectors.toSet());
    }

    private static CheckpointInfo find(Admin admin, UUID id) {
        return admin.listCheckpoints().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no checkpoint " + id));
    }
}
