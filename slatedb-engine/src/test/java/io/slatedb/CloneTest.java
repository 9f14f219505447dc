package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Admin#createClone}: one test (at least) per sentence of SlateDB's page on clones. */
@Timeout(60)
class CloneTest {
    /** No background compaction or collection: the tests run them when they mean to. */
    static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .compactorOptions(null)
            .garbageCollectorOptions(null)
            .build();

    private final ObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static SortedMap<String, String> scanAll(Db db) {
        SortedMap<String, String> rows = new TreeMap<>();
        try (DbIterator it = db.scan(null, null)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                rows.put(s(kv.key()), s(kv.value()));
            }
        }
        return rows;
    }

    static SortedMap<String, String> scanAll(DbReader reader) {
        SortedMap<String, String> rows = new TreeMap<>();
        try (DbIterator it = reader.scan(null, null)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                rows.put(s(kv.key()), s(kv.value()));
            }
        }
        return rows;
    }

    Db open(String path) {
        return Db.builder(path, store).withSettings(SETTINGS).build();
    }

    Admin admin(String path) {
        return Admin.builder(path, store).build();
    }

    Manifest latest(String path) {
        try (Admin admin = admin(path)) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    List<String> objects(String prefix) {
        return Futures.join(store.listAll(prefix)).stream().map(ObjectMetadata::path).toList();
    }

    /** Writes {@code rows} to a new database at {@code path} and flushes them to L0. */
    void writeFlushed(String path, SortedMap<String, String> rows) {
        try (Db db = open(path)) {
            rows.forEach((k, v) -> db.put(b(k), b(v)));
            db.flush(FlushType.MEMTABLE);
        }
    }

    static SortedMap<String, String> rows(String... kv) {
        SortedMap<String, String> rows = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            rows.put(kv[i], kv[i + 1]);
        }
        return rows;
    }

    // ---------------------------------------------------------------- "A clone is a new SlateDB database ..."

    @Test
    void aCloneStartsFromTheSourceAtACheckpointThenGoesItsOwnWay() {
        UUID checkpoint;
        try (Db source = open("src"); Admin srcAdmin = admin("src")) {
            source.put(b("a"), b("1"));
            source.put(b("b"), b("2"));
            checkpoint = source.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT).id();
            source.put(b("b"), b("after"));
            source.put(b("c"), b("after"));
            source.flush(FlushType.MEMTABLE);
        }
        try (Admin admin = admin("clone")) {
            ManifestSnapshot created = admin.createClone("src", checkpoint);
            assertTrue(created.internal().core().initialized());
        }
        try (Db clone = open("clone")) {
            assertEquals(rows("a", "1", "b", "2"), scanAll(clone), "the source as of the checkpoint");
            clone.put(b("d"), b("clone"));
            clone.delete(b("a"));
            clone.flush(FlushType.MEMTABLE);
            assertEquals(rows("b", "2", "d", "clone"), scanAll(clone));
        }
        try (Db source = open("src")) {
            assertEquals(rows("a", "1", "b", "after", "c", "after"), scanAll(source), "the clone's writes stay in the clone");
        }
        try (Db clone = open("clone")) {
            assertEquals(rows("b", "2", "d", "clone"), scanAll(clone), "its own manifest, WAL and SSTs survive a reopen");
        }
    }

    // ---------------------------------------------------------------- "Clone creation is shallow ..."

    @Test
    void creationCopiesNoSstAndRecordsWhichSstIdsLiveInTheSource() {
        writeFlushed("src", rows("a", "1", "b", "2"));
        Manifest source = latest("src");
        try (Admin admin = admin("clone")) {
            admin.createClone("src", null);
        }
        assertEquals(List.of(), objects("clone/compacted/"), "no SST is copied");
        Manifest clone = latest("clone");
        assertEquals(1, clone.externalDbs().size());
        ExternalDb external = clone.externalDbs().get(0);
        assertEquals("src", external.path());
        assertEquals(source.core().tree().sstIds(), java.util.Set.copyOf(external.sstIds()));
        assertNotNull(external.finalCheckpointId());
        assertEquals(clone.core().tree(), source.core().tree(), "the clone lists the source's SSTs as they are");
        try (Db db = open("clone")) {
            db.put(b("c"), b("3"));
            db.flush(FlushType.MEMTABLE);
            assertEquals(rows("a", "1", "b", "2", "c", "3"), scanAll(db));
        }
        assertEquals(1, objects("clone/compacted/").size(), "new SSTs go to the clone's own path");
        assertEquals(source.core().tree().sstIds().size(), objects("src/compacted/").size(), "the source gained none");
    }

    // ---------------------------------------------------------------- "Source State"

    @Test
    void aGivenCheckpointIsUsedAsIs() {
        UUID checkpoint;
        long pinned;
        try (Db source = open("src")) {
            source.put(b("a"), b("1"));
            CheckpointCreateResult created = source.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
            checkpoint = created.id();
            pinned = created.manifestId();
            source.put(b("a"), b("2"));
            source.flush(FlushType.MEMTABLE);
        }
        try (Admin admin = admin("clone")) {
            admin.createClone("src", checkpoint);
        }
        Manifest clone = latest("clone");
        assertEquals(checkpoint, clone.externalDbs().get(0).sourceCheckpointId());
        Manifest source = latest("src");
        var pin = source.core().checkpoints().stream()
                .filter(c -> c.id().equals(clone.externalDbs().get(0).finalCheckpointId())).findFirst().orElseThrow();
        assertEquals(pinned, pin.manifestId(), "the pin holds the same manifest as the source checkpoint");
        assertTrue(pin.expireTime().isEmpty(), "the pin never expires");
        assertEquals(2, source.core().checkpoints().size(), "no short-lived checkpoint was taken");
    }

    @Test
    void withoutACheckpointAShortLivedOneOfTheLatestManifestIsTheBase() {
        writeFlushed("src", rows("a", "1"));
        long latestBefore;
        try (Admin src = admin("src")) {
            latestBefore = src.readManifest().orElseThrow().id();
        }
        try (Admin admin = admin("clone")) {
            admin.createClone("src", null);
        }
        Manifest clone = latest("clone");
        ExternalDb external = clone.externalDbs().get(0);
        Manifest source = latest("src");
        var ephemeral = source.core().checkpoints().stream()
                .filter(c -> c.id().equals(external.sourceCheckpointId())).findFirst().orElseThrow();
        var pin = source.core().checkpoints().stream()
                .filter(c -> c.id().equals(external.finalCheckpointId())).findFirst().orElseThrow();
        assertEquals(latestBefore + 1, ephemeral.manifestId(), "the manifest that added it: the latest state");
        assertEquals(ephemeral.createTime().plus(Duration.ofMinutes(5)), ephemeral.expireTime().orElseThrow());
        assertEquals(ephemeral.manifestId(), pin.manifestId());
        assertTrue(pin.expireTime().isEmpty());
        try (Db db = open("clone")) {
            assertEquals(rows("a", "1"), scanAll(db));
        }
    }

    @Test
    void creationDoesNotFlushAnOpenWriterButACheckpointWithScopeAllDoes() {
        try (Db source = open("src")) {
            source.put(b("flushed"), b("1"));
            source.flush(FlushType.MEMTABLE);
            source.put(b("memtable-only"), b("2"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            try (Admin admin = admin("from-latest")) {
                admin.createClone("src", null);
            }
            try (Db clone = open("from-latest")) {
                assertNull(clone.get(b("memtable-only")), "the writer's unflushed state is not coordinated");
                assertEquals("1", s(clone.get(b("flushed"))));
            }
            source.put(b("latest"), b("3"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            UUID all = source.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT).id();
            try (Admin admin = admin("from-all")) {
                admin.createClone("src", all);
            }
            try (Db clone = open("from-all")) {
                assertEquals(rows("flushed", "1", "latest", "3", "memtable-only", "2"), scanAll(clone));
            }
        }
    }

    // ---------------------------------------------------------------- "Shared Files"

    @Test
    void readsSpanTheClonesOwnPathAndTheSourcePathInDbAndDbReader() {
        writeFlushed("src", rows("a", "src", "b", "src"));
        try (Admin admin = admin("clone")) {
            admin.createClone("src", null);
        }
        try (Db clone = open("clone")) {
            clone.put(b("b"), b("clone"));
            clone.put(b("c"), b("clone"));
            clone.flush(FlushType.MEMTABLE);
        }
        try (DbReader reader = DbReader.builder("clone", store).build()) {
            assertEquals(rows("a", "src", "b", "clone", "c", "clone"), scanAll(reader));
            assertEquals("src", s(reader.get(b("a"))));
        }
    }

    // ---------------------------------------------------------------- "WAL state is handled differently ..."

    @Test
    void walSstsTheCheckpointReferencesAreCopiedAndRecoveryReplaysThem() {
        UUID checkpoint;
        Manifest pinned;
        try (Db source = open("src")) {
            source.put(b("a"), b("1")); // durable in the WAL, never flushed to L0
            source.put(b("b"), b("2"));
            checkpoint = source.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT).id();
        }
        try (Admin src = admin("src")) {
            long id = src.listCheckpoints().stream().filter(c -> c.id().equals(checkpoint)).findFirst().orElseThrow()
                    .manifestId();
            pinned = src.readManifest(id).orElseThrow().internal();
        }
        long first = pinned.core().replayAfterWalId() + 1;
        long last = pinned.core().nextWalSstId() - 1;
        assertTrue(last >= first, "the checkpoint references WAL SSTs");
        try (Admin admin = admin("clone")) {
            Manifest clone = admin.createClone("src", checkpoint).internal();
            assertEquals(pinned.core().replayAfterWalId(), clone.core().replayAfterWalId());
            assertEquals(pinned.core().nextWalSstId(), clone.core().nextWalSstId());
        }
        DbLayout src = DbLayout.of("src");
        DbLayout cl = DbLayout.of("clone");
        for (long id = first; id <= last; id++) {
            assertTrue(java.util.Arrays.equals(Futures.join(store.get(src.walSstPath(id))).data(),
                    Futures.join(store.get(cl.walSstPath(id))).data()), "WAL SST " + id + " copied byte for byte");
        }
        List<String> sourceWal = objects("src/wal/");
        try (Db clone = open("clone")) {
            assertEquals(rows("a", "1", "b", "2"), scanAll(clone), "recovery replays the copied WAL");
            clone.put(b("c"), b("3"));
        }
        assertEquals(sourceWal, objects("src/wal/"), "the clone writes no WAL under the source path");
        assertTrue(objects("clone/wal/").size() > last - first + 1, "its new WAL files are under the clone path");
    }

    // ---------------------------------------------------------------- "Constraints"

    @Test
    void theClonePathMustDifferFromTheSourcePath() {
        writeFlushed("src", rows("a", "1"));
        try (Admin admin = admin("src")) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone("src", null));
            assertEquals(ErrorKind.INVALID, e.kind());
            e = assertThrows(SlateDbException.class, () -> admin.createClone("src/", null));
            assertEquals(ErrorKind.INVALID, e.kind());
        }
    }

    @Test
    void aSourceWithASeparateWalStoreNeedsThatStore() {
        writeFlushed("src", rows("a", "1"));
        SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, DbLayout.of("src"), true);
        var latest = Futures.join(manifests.readLatest()).orElseThrow();
        Futures.join(manifests.create(latest.id() + 1, latest.value().withCore(
                latest.value().core().toBuilder().walObjectStoreUri("").build())));
        try (Admin admin = admin("clone")) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone("src", null));
            assertEquals(ErrorKind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("separate"), e.getMessage());
            assertTrue(objects("clone/").isEmpty(), "nothing was written");
            // With the WAL store given (here the same store), the clone is made.
            Manifest clone = admin.createClone(CloneOptions.of(CloneSource.of("src", null)).withWalStore(store))
                    .internal();
            assertTrue(clone.core().initialized());
        }
    }

    @Test
    void aMissingOrUninitializedSourceOrAMissingCheckpointIsInvalid() {
        try (Admin admin = admin("clone")) {
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.createClone("nothing-here", null)).kind());
        }
        writeFlushed("src", rows("a", "1"));
        try (Admin admin = admin("clone")) {
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                    () -> admin.createClone("src", UUID.randomUUID())).kind());
        }
        // An uninitialized database: a clone's first manifest, as an interrupted creation leaves it.
        SequencedObjectStore<Manifest> half = ManifestStore.sequence(store, DbLayout.of("half"), true);
        Manifest src = latest("src");
        Futures.join(half.create(1, src.withCore(src.core().toBuilder().initialized(false).checkpoints(List.of())
                .build()).withExternalDbs(List.of(new io.slatedb.manifest.ExternalDb("src", UUID.randomUUID(),
                UUID.randomUUID(), List.of())))));
        try (Admin admin = admin("clone")) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone("half", null));
            assertEquals(ErrorKind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
        }
        assertTrue(objects("clone/").isEmpty());
        SlateDbException e = assertThrows(SlateDbException.class, () -> open("half"));
        assertEquals(ErrorKind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
    }

    @Test
    void aRerunAfterSuccessValidatesAndChangesNothing() {
        UUID checkpoint;
        try (Db source = open("src")) {
            source.put(b("a"), b("1"));
            checkpoint = source.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT).id();
        }
        try (Admin admin = admin("clone")) {
            ManifestSnapshot first = admin.createClone("src", checkpoint);
            List<String> cloneObjects = objects("clone/");
            List<String> sourceObjects = objects("src/");
            ManifestSnapshot again = admin.createClone("src", checkpoint);
            assertEquals(first.id(), again.id());
            assertEquals(first.manifest(), again.manifest());
            assertEquals(cloneObjects, objects("clone/"));
            assertEquals(sourceObjects, objects("src/"));
            assertEquals(first.id(), admin.createClone("src", null).id(), "no checkpoint given: any is accepted");

            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.createClone("src", UUID.randomUUID())).kind(), "another checkpoint");
            writeFlushed("other", rows("x", "1"));
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.createClone("other", null)).kind(), "another source");
            // A clone whose pin was deleted in the source is reported, not silently accepted.
            try (Admin src = admin("src")) {
                src.deleteCheckpoint(first.manifest().externalDbs().get(0).finalCheckpointId());
            }
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone("src", checkpoint));
            assertEquals(ErrorKind.DATA, e.kind());
            assertTrue(e.getMessage().contains("pin"), e.getMessage());
        }
    }

    @Test
    void unrelatedDatabaseAtTheClonePathIsNotOverwritten() {
        writeFlushed("src", rows("a", "1"));
        writeFlushed("clone", rows("z", "9"));
        List<String> before = objects("clone/");
        try (Admin admin = admin("clone")) {
            assertEquals(ErrorKind.DATA, assertThrows(SlateDbException.class,
                    () -> admin.createClone("src", null)).kind());
        }
        assertEquals(before, objects("clone/"));
        try (Db db = open("clone")) {
            assertEquals(rows("z", "9"), scanAll(db));
        }
        assertTrue(latest("src").core().checkpoints().isEmpty(), "no checkpoint was taken in the source");
    }
}
