package io.slatedb;

import io.slatedb.testing.MutableClock;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.slatedb.CloneTest.scanAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Admin#deleteDb} deletes exactly its database's objects: not those of a database nested under
 * its path, of neighbours whose names start with its name, of a clone made from it, or of its source.
 */
@Timeout(120)
class DeleteDbTest {

    @TempDir
    Path temp;

    private ObjectStore store;
    private final MutableClock clock = new MutableClock(Instant.now());

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private ObjectStore newStore(String kind) {
        return switch (kind) {
            case "memory" -> new InMemoryObjectStore();
            case "local" -> new LocalDirectoryObjectStore(temp.resolve("store"), 2);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local"})
    void deletesOnlyItsOwnObjects(String kind) {
        store = newStore(kind);
        Map<String, SortedMap<String, String>> models = new LinkedHashMap<>();
        Random random = new Random(7);
        write("src", models, random);
        try (Admin admin = admin("a")) {
            admin.createClone("src", null); // a is a clone of src: it holds a pin in src
        }
        models.put("a", new TreeMap<>(models.get("src")));
        write("a", models, random);
        try (Admin admin = admin("c")) {
            admin.createClone("a", null); // c is a clone of a
        }
        models.put("c", new TreeMap<>(models.get("a")));
        write("c", models, random);
        detachFromItsSources("c");
        for (String path : List.of("a/b", "a2", "ab")) {
            write(path, models, random);
        }

        Map<String, byte[]> all = snapshot();
        List<String> ofA = all.keySet().stream().filter(p -> p.startsWith("a/") && !p.startsWith("a/b/")).sorted().toList();
        assertTrue(ofA.stream().anyMatch(p -> p.startsWith("a/compacted/")), "a has SSTs: " + ofA);
        assertTrue(ofA.stream().anyMatch(p -> p.startsWith("a/wal/")), "a has WAL objects: " + ofA);
        Map<String, byte[]> others = new TreeMap<>(all);
        ofA.forEach(others::remove);

        try (Admin admin = admin("a")) {
            assertEquals(ofA, admin.deleteDb(false).stream().sorted().toList(), "a dry run lists exactly a's objects");
            assertEquals(all.keySet(), snapshot().keySet(), "and changes nothing");
            assertTrue(admin.readManifest().isPresent());
            assertEquals(ofA, admin.deleteDb(true).stream().sorted().toList());
            assertTrue(admin.readManifest().isEmpty(), "the admin that deleted the database no longer reads its manifest");
        }

        Map<String, byte[]> after = snapshot();
        assertTrue(after.keySet().stream().noneMatch(ofA::contains), "a's objects are gone");
        assertFalse(after.containsKey("a/.deleting"), "the marker goes last");
        others.forEach((path, bytes) -> assertArrayEquals(bytes, after.get(path), "kept byte for byte: " + path));
        assertTrue(after.keySet().stream().filter(p -> !others.containsKey(p)).allMatch(p -> p.startsWith("src/manifest/")),
                "the only new objects are src's manifests (a released its pin there): " + after.keySet());
        try (Admin admin = admin("src")) {
            assertTrue(admin.listCheckpoints().stream().noneMatch(c -> c.expireTime() == null),
                    "a's pin in src is released");
        }
        models.remove("a");
        models.forEach((path, model) -> {
            try (Db db = open(path)) {
                assertEquals(model, scanAll(db), path + " still reads");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "local"})
    void deletingWhereThereIsNoDatabaseWritesNothing(String kind) {
        store = newStore(kind);
        try (Admin admin = admin("nothing")) {
            assertEquals(List.of(), admin.deleteDb(false));
            assertEquals(List.of(), admin.deleteDb(true));
        }
        assertEquals(Map.of(), snapshot());
        assertFalse(java.nio.file.Files.exists(temp.resolve("store")), "not even the store directory is created");
    }

    /** Writes a few rows to the database at {@code path} (flushed to L0, and some left in the WAL). */
    private void write(String path, Map<String, SortedMap<String, String>> models, Random random) {
        SortedMap<String, String> model = models.computeIfAbsent(path, unused -> new TreeMap<>());
        try (Db db = open(path)) {
            CloneGcTest.workload(db, model, random, path, 40);
            db.put(CloneTest.b("wal-only-" + path), CloneTest.b("x"));
            model.put("wal-only-" + path, "x");
        }
    }

    /** Compacts the clone and lets its collector detach it from every source, as deleting a source requires. */
    private void detachFromItsSources(String path) {
        try (Compactor compactor = Compactor.builder(path, store).withOptions(CloneGcTest.FULL).withClock(clock).build()) {
            compactor.runUntilIdle();
        }
        GarbageCollectorOptions detachOnly = GarbageCollectorOptions.builder().manifestOptions(null).walOptions(null)
                .walFenceOptions(null).compactedOptions(null).compactionsOptions(null).build();
        try (Admin admin = admin(path)) {
            assertEquals(Set.of("src", "a"), Set.copyOf(admin.runGarbageCollection(detachOnly, false)
                    .paths(GarbageCollectorTask.DETACH)));
        }
        clock.advance(Duration.ofMinutes(1));
    }

    private Map<String, byte[]> snapshot() {
        Map<String, byte[]> objects = new TreeMap<>();
        for (ObjectMetadata object : Futures.join(store.listAll(""))) {
            byte[] data = Futures.join(store.get(object.path())).data();
            objects.put(object.path(), Arrays.copyOf(data, data.length));
        }
        return objects;
    }

    private Db open(String path) {
        return Db.builder(path, store).withSettings(CloneTest.SETTINGS).withClock(clock).build();
    }

    private Admin admin(String path) {
        return Admin.builder(path, store).withClock(clock).build();
    }
}
