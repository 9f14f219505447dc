package io.slatedb;

import io.slatedb.testing.WriteRecordingStore;
import io.slatedb.testing.MutableClock;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.Manifest;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.slatedb.CloneTest.b;
import static io.slatedb.CloneTest.scanAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clones and garbage collection: the source's collector keeps what a clone's pin holds; the clone's
 * detach task releases the pin once compaction stopped reading the source; deleting a clone releases
 * its pins; a source every clone has detached from can be deleted outright.
 */
@Timeout(120)
class CloneGcTest {
    /** Compacts every L0 SST into a run and merges every series of two or more runs into one. */
    static final CompactorOptions FULL = CompactorOptions.builder()
            .minCompactionSources(2)
            .maxCompactionSources(64)
            .includeSizeThreshold(1e9)
            .build();

    /** Every task, deleting whatever nothing references the moment the clock allows. */
    static final GarbageCollectorOptions EAGER;

    static {
        GarbageCollectorDirectoryOptions task = new GarbageCollectorDirectoryOptions(Duration.ofSeconds(1),
                Duration.ZERO, false);
        EAGER = GarbageCollectorOptions.builder().manifestOptions(task).walOptions(task).walFenceOptions(task)
                .compactedOptions(task).compactionsOptions(task).build();
    }

    private final ObjectStore store = new InMemoryObjectStore();
    private final MutableClock clock = new MutableClock(Instant.now());

    @AfterEach
    void close() {
        store.close();
    }

    Db open(String path) {
        return Db.builder(path, store).withSettings(CloneTest.SETTINGS).withClock(clock).build();
    }

    Admin admin(String path) {
        return Admin.builder(path, store).withClock(clock).build();
    }

    Manifest latest(String path) {
        try (Admin admin = admin(path)) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    List<String> objects(String prefix) {
        return Futures.join(store.listAll(prefix)).stream().map(ObjectMetadata::path).toList();
    }

    void compact(String path) {
        try (Compactor compactor = Compactor.builder(path, store).withOptions(FULL).withClock(clock).build()) {
            compactor.runUntilIdle();
        }
    }

    GarbageCollectorResult collect(String path) {
        clock.advance(Duration.ofHours(1)); // past short-lived checkpoints and every age rule
        try (Admin admin = admin(path)) {
            return admin.runGarbageCollection(EAGER, false);
        }
    }

    /** Puts {@code count} values of {@code tag} (and some deletes) into {@code db} and {@code model}, flushed to L0. */
    static void workload(Db db, SortedMap<String, String> model, Random random, String tag, int count) {
        for (int i = 0; i < count; i++) {
            String key = String.format("k%03d", random.nextInt(200));
            if (random.nextInt(8) == 0) {
                db.delete(b(key), WriteOptions.NO_AWAIT);
                model.remove(key);
            } else {
                String value = tag + "-" + i;
                db.put(b(key), b(value), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                model.put(key, value);
            }
        }
        db.flush(FlushType.MEMTABLE);
    }

    @Test
    void theSourcesCollectorKeepsEverySstAndManifestThePinHolds() {
        SortedMap<String, String> atClone = new TreeMap<>();
        SortedMap<String, String> source = new TreeMap<>();
        Random random = new Random(1);
        try (Db db = open("src")) {
            workload(db, source, random, "a", 300);
            workload(db, source, random, "b", 300);
        }
        atClone.putAll(source);
        try (Admin admin = admin("clone")) {
            admin.createClone("src", null);
        }
        Manifest clone = latest("clone");
        try (Db db = open("src")) {
            workload(db, source, random, "c", 300);
            workload(db, source, random, "d", 300);
        }
        compact("src"); // the SSTs the clone reads are no longer in the source's latest manifest
        GarbageCollectorResult result = collect("src");
        assertTrue(result.count(GarbageCollectorTask.MANIFEST) > 0, "the collector did run: " + result);
        assertEquals(1, latest("src").core().checkpoints().size(), "the short-lived checkpoint expired; the pin stays");
        for (ExternalDb external : clone.externalDbs()) {
            external.sstIds().forEach(id -> assertTrue(objects("src/compacted/").contains(
                    DbLayout.of("src").compactedSstPath(id)), "kept " + id));
        }
        long pinned = latest("src").core().checkpoints().get(0).manifestId();
        assertTrue(objects("src/manifest/").contains(DbLayout.of("src").manifestPath(pinned)));
        try (Db db = open("clone")) {
            assertEquals(atClone, scanAll(db));
        }
        try (Db db = open("src")) {
            assertEquals(source, scanAll(db));
        }
    }

    @Test
    void detachReleasesThePinOnceCompactionNoLongerReadsTheSourceAndTheSourceCanThenBeDeleted() {
        SortedMap<String, String> model = new TreeMap<>();
        Random random = new Random(2);
        try (Db db = open("src")) {
            workload(db, model, random, "a", 200);
            workload(db, model, random, "b", 200);
        }
        try (Admin admin = admin("clone")) {
            admin.createClone("src", null);
        }
        UUID pin = latest("clone").externalDbs().get(0).finalCheckpointId();
        try (Db db = open("clone")) {
            workload(db, model, random, "c", 100);
        }
        try (Admin admin = admin("clone")) {
            GarbageCollectorOptions detachOnly = GarbageCollectorOptions.builder().manifestOptions(null)
                    .walOptions(null).walFenceOptions(null).compactedOptions(null).compactionsOptions(null).build();
            assertEquals(List.of(), admin.runGarbageCollection(detachOnly, false).paths(GarbageCollectorTask.DETACH),
                    "the clone still reads the source");
            compact("clone");
            assertTrue(latest("clone").externalDbs().get(0).sstIds().isEmpty(), "compaction rewrote the source's SSTs");
            assertEquals(List.of("src"), admin.runGarbageCollection(detachOnly, true)
                    .paths(GarbageCollectorTask.DETACH), "a dry run reports");
            assertEquals(1, latest("clone").externalDbs().size(), "and changes nothing");
            assertEquals(List.of("src"), admin.runGarbageCollection(detachOnly, false)
                    .paths(GarbageCollectorTask.DETACH));
        }
        assertEquals(List.of(), latest("clone").externalDbs());
        assertTrue(latest("src").core().checkpoints().stream().noneMatch(c -> c.id().equals(pin)), "pin released");
        try (Admin admin = admin("src")) {
            List<String> deleted = admin.deleteDb(true);
            assertFalse(deleted.isEmpty());
        }
        assertEquals(List.of(), objects("src/"));
        try (Db db = open("clone")) {
            assertEquals(model, scanAll(db));
        }
    }

    @Test
    void deletingACloneReleasesItsPinsFirst() {
        try (Db db = open("src")) {
            workload(db, new TreeMap<>(), new Random(3), "a", 50);
        }
        try (Admin admin = admin("c1")) {
            admin.createClone("src", null);
        }
        try (Admin admin = admin("c2")) {
            admin.createClone("c1", null);
        }
        int sourceCheckpoints = latest("src").core().checkpoints().size();
        try (Admin admin = admin("c2")) {
            List<String> listed = admin.deleteDb(false);
            assertEquals(objects("c2/"), listed, "a dry run lists every object");
            assertEquals(sourceCheckpoints, latest("src").core().checkpoints().size(), "and releases nothing");
            assertEquals(listed, admin.deleteDb(true));
        }
        assertEquals(List.of(), objects("c2/"));
        assertEquals(sourceCheckpoints - 1, latest("src").core().checkpoints().size(), "c2's pin in src is gone");
        assertTrue(latest("c1").core().checkpoints().stream().allMatch(c -> c.expireTime().isPresent()),
                "c2's pin in c1 is gone; only c1's short-lived checkpoint is left");
    }

    /**
     * Three generations of clones of one database (each made from its parent's latest state, so the
     * youngest reads SSTs of all three ancestors), then rounds of writes, compaction and collection in
     * every database, checked against a sorted-map model after each round. Compaction in a clone rewrites
     * the SSTs it inherited, after which its collector detaches; once every clone has, the original
     * database is deleted and nothing breaks.
     */
    @Test
    void threeLevelsOfNestedClonesWithWritesCompactionAndGcMatchTheirModels() {
        Random random = new Random(42);
        Map<String, SortedMap<String, String>> models = new LinkedHashMap<>();
        models.put("db0", new TreeMap<>());
        List<String> paths = new ArrayList<>(List.of("db0"));
        try (Db db = open("db0")) {
            workload(db, models.get("db0"), random, "db0-0", 200);
            workload(db, models.get("db0"), random, "db0-1", 200);
        }
        compact("db0");
        collect("db0");
        for (int level = 1; level <= 3; level++) {
            String parent = paths.get(paths.size() - 1);
            String child = "db" + level;
            try (Admin admin = admin(child)) {
                admin.createClone(parent, null);
            }
            models.put(child, new TreeMap<>(models.get(parent)));
            paths.add(child);
            assertEquals(paths.subList(0, level), latest(child).externalDbs().stream().map(ExternalDb::path).toList(),
                    child + " reads from every ancestor, the oldest from its own path");
            try (Db db = open(child)) {
                assertEquals(models.get(child), scanAll(db), child);
                workload(db, models.get(child), random, child + "-first", 100);
            }
        }
        for (int round = 0; round < 3; round++) {
            for (String path : paths) {
                try (Db db = open(path)) {
                    workload(db, models.get(path), random, path + "-" + round, 150);
                    workload(db, models.get(path), random, path + "-" + round + "b", 50);
                }
                compact(path);
                collect(path);
            }
            for (String path : paths) {
                try (Db db = open(path)) {
                    assertEquals(models.get(path), scanAll(db), path + " after round " + round);
                }
            }
        }
        for (String path : paths.subList(1, paths.size())) {
            assertEquals(List.of(), latest(path).externalDbs(), path + " compacted every inherited SST away and detached");
        }
        assertTrue(latest("db0").core().checkpoints().isEmpty(), "no clone pins db0 any more");
        try (Admin admin = admin("db0")) {
            admin.deleteDb(true);
        }
        assertEquals(List.of(), objects("db0/"));
        for (String path : paths.subList(1, paths.size())) {
            collect(path);
            try (Db db = open(path)) {
                assertEquals(models.get(path), scanAll(db), path + " without db0");
            }
            try (DbReader reader = DbReader.builder(path, store).build()) {
                assertEquals(models.get(path), CloneTest.scanAll(reader), path + " read by a DbReader");
            }
        }
    }

    /** A clone's writer runs the detach task in its embedded collector, on the detach schedule. */
    @Test
    void aClonesWriterDetachesInItsEmbeddedCollector() throws Exception {
        SortedMap<String, String> model = new TreeMap<>();
        Random random = new Random(5);
        try (Db db = open("src")) {
            workload(db, model, random, "a", 100);
        }
        try (Admin admin = admin("clone")) {
            admin.createClone("src", null);
        }
        try (Db db = open("clone")) {
            workload(db, model, random, "b", 100);
            workload(db, model, random, "c", 100);
        }
        compact("clone");
        UUID pin = latest("clone").externalDbs().get(0).finalCheckpointId();
        Settings settings = CloneTest.SETTINGS.toBuilder().garbageCollectorOptions(GarbageCollectorOptions.builder()
                .manifestOptions(null).walOptions(null).walFenceOptions(null).compactedOptions(null)
                .compactionsOptions(null).detachOptions(new GarbageCollectorScheduleOptions(Duration.ofMillis(20)))
                .build()).build();
        WriteRecordingStore writes = new WriteRecordingStore(store);
        try (Db db = Db.builder("clone", writes).withSettings(settings).withClock(clock).build()) {
            // The collector runs on its own schedule: look again after each write until its detach shows.
            while (true) {
                CompletableFuture<Void> nextWrite = writes.nextWrite();
                if (latest("clone").externalDbs().isEmpty()) {
                    break;
                }
                Futures.join(nextWrite);
            }
            assertEquals(model, scanAll(db));
        }
        assertTrue(latest("src").core().checkpoints().stream().noneMatch(c -> c.id().equals(pin)));
    }
}
