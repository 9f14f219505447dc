package io.slatedb;

import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.SstView;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.slatedb.CloneTest.b;
import static io.slatedb.CloneTest.rows;
import static io.slatedb.CloneTest.s;
import static io.slatedb.CloneTest.scanAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clones restricted to a key range (projections) and clones of several sources (unions). */
@Timeout(60)
class CloneUnionTest {
    private final ObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void close() {
        store.close();
    }

    Db open(String path) {
        return Db.builder(path, store).withSettings(CloneTest.SETTINGS).build();
    }

    Manifest latest(String path) {
        try (Admin admin = Admin.builder(path, store).build()) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    /** A database whose rows are all in SSTs (two L0s; the writer's close flushes the rest). */
    void flushed(String path, SortedMap<String, String> rows) {
        try (Db db = open(path)) {
            List<String> keys = new ArrayList<>(rows.keySet());
            for (int i = 0; i < keys.size(); i++) {
                db.put(b(keys.get(i)), b(rows.get(keys.get(i))));
                if (i == keys.size() / 2) {
                    db.flush(FlushType.MEMTABLE);
                }
            }
        }
    }

    @Test
    void aProjectedCloneSeesOnlyItsRangeOfTheSource() {
        flushed("src", rows("a", "1", "b", "2", "c", "3", "d", "4", "e", "5"));
        try (Admin admin = Admin.builder("clone", store).build()) {
            admin.createClone(CloneOptions.of(CloneSource.of("src", null).withProjection(b("b"), b("d"))));
        }
        Manifest clone = latest("clone");
        List<SstView> views = new ArrayList<>(clone.core().l0());
        clone.core().compacted().forEach(run -> views.addAll(run.ssts()));
        assertTrue(views.stream().allMatch(v -> v.visibleRange() != null), "every view is clipped");
        try (Db db = open("clone")) {
            assertEquals(rows("b", "2", "c", "3"), scanAll(db));
            assertNull(db.get(b("a")));
            assertNull(db.get(b("d")));
            db.put(b("z"), b("new"));
            assertEquals("new", s(db.get(b("z"))), "the clone's own writes are not restricted");
        }
        try (DbReader reader = DbReader.builder("clone", store).build()) {
            assertEquals(rows("b", "2", "c", "3", "z", "new"), CloneTest.scanAll(reader));
        }
        try (Compactor compactor = Compactor.builder("clone", store).withOptions(CloneGcTest.FULL).build()) {
            compactor.runUntilIdle();
        }
        try (Db db = open("clone")) {
            assertEquals(rows("b", "2", "c", "3", "z", "new"), scanAll(db), "compaction keeps the projection");
        }
    }

    @Test
    void aUnionOfDisjointSourcesSeesAllOfThem() {
        flushed("left", rows("a1", "L", "a2", "L", "a3", "L"));
        flushed("right", rows("m1", "R", "m2", "R"));
        try (Admin admin = Admin.builder("union", store).build()) {
            Manifest created = admin.createClone(CloneOptions.union(List.of(CloneSource.of("left", null),
                    CloneSource.of("right", null)))).internal();
            assertEquals(List.of("left", "right"), created.externalDbs().stream().map(e -> e.path()).toList());
            assertEquals(0, created.core().replayAfterWalId());
            assertEquals(1, created.core().nextWalSstId());
        }
        try (Db db = open("union")) {
            assertEquals(rows("a1", "L", "a2", "L", "a3", "L", "m1", "R", "m2", "R"), scanAll(db));
            db.put(b("a2"), b("U"));
            assertEquals("U", s(db.get(b("a2"))));
        }
        assertEquals(1, latest("left").core().checkpoints().stream().filter(c -> c.expireTime().isEmpty()).count(),
                "a pin in each source");
        assertEquals(1, latest("right").core().checkpoints().stream().filter(c -> c.expireTime().isEmpty()).count());
    }

    @Test
    void overlappingProjectionsOfAUnionAreInvalidButDisjointOnesWork() {
        flushed("x", rows("a", "x", "b", "x", "c", "x"));
        flushed("y", rows("a", "y", "b", "y", "c", "y"));
        try (Admin admin = Admin.builder("u", store).build()) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone(CloneOptions.union(
                    List.of(CloneSource.of("x", null), CloneSource.of("y", null)))));
            assertEquals(ErrorKind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("overlap"), e.getMessage());
            admin.createClone(CloneOptions.union(List.of(CloneSource.of("x", null).withProjection(null, b("b")),
                    CloneSource.of("y", null).withProjection(b("b"), null))));
        }
        try (Db db = open("u")) {
            assertEquals(rows("a", "x", "b", "y", "c", "y"), scanAll(db));
        }
    }

    @Test
    void sourcesOfAUnionOrProjectionMustHoldNoWalData() {
        CheckpointCreateResult checkpoint;
        try (Db db = open("walsrc")) {
            db.put(b("a"), b("1")); // durable in the WAL only
            checkpoint = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
        }
        flushed("other", rows("z", "1"));
        try (Admin admin = Admin.builder("c", store).build()) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> admin.createClone(CloneOptions.of(
                    CloneSource.of("walsrc", checkpoint.id()).withProjection(b("a"), null))));
            assertEquals(ErrorKind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("WAL"), e.getMessage());
            e = assertThrows(SlateDbException.class, () -> admin.createClone(CloneOptions.union(List.of(
                    CloneSource.of("walsrc", checkpoint.id()), CloneSource.of("other", null)))));
            assertEquals(ErrorKind.INVALID, e.kind());
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> admin.createClone(
                    CloneOptions.union(List.of()))).kind(), "no source");
            assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class, () -> admin.createClone(
                    CloneOptions.union(List.of(CloneSource.of("other", null), CloneSource.of("other", null))))).kind(),
                    "a source twice");
        }
    }

    /**
     * A writer that never wrote still leaves its fence in the WAL (a file without rows): a checkpoint of it
     * holds no data, so it can be projected and united like any other source (rescaling a subtask that had
     * no state yet).
     */
    @Test
    void aSourceWhoseWalHoldsOnlyItsWritersFenceCanBeProjectedAndUnited() {
        CheckpointCreateResult empty;
        try (Db db = open("fenceonly")) {
            empty = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT);
        }
        Manifest source = latest("fenceonly");
        assertTrue(Long.compareUnsigned(source.core().replayAfterWalId() + 1, source.core().nextWalSstId()) < 0,
                "the checkpoint covers the writer's fence in the WAL");
        flushed("other", rows("m", "1", "n", "2"));
        try (Admin admin = Admin.builder("united", store).build()) {
            admin.createClone(CloneOptions.union(List.of(
                    CloneSource.of("fenceonly", empty.id()).withProjection(b("a"), b("m")),
                    CloneSource.of("other", null).withProjection(b("m"), null))));
        }
        try (Db db = open("united")) {
            assertEquals("1", s(db.get(b("m"))));
            assertEquals("2", s(db.get(b("n"))));
            assertNull(db.get(b("a")));
        }
    }
}
