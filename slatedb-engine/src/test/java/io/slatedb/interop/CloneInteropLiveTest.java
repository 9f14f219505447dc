package io.slatedb.interop;

import io.slatedb.InternalManifests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.Settings;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.manifest.Manifest;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clones across the two implementations, on one local directory store: a database written by SlateDB
 * 0.12.1 is cloned here, and the clone opens, reads and writes here; then SlateDB 0.12.1 opens that clone
 * and a nested clone of it made here (its writer resolves the SSTs listed under {@code external_dbs} to
 * their databases' paths, fences ours and replays the WAL the clone wrote).
 */
@RequiresNode
class CloneInteropLiveTest {
    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .compactorOptions(null)
            .garbageCollectorOptions(null)
            .build();

    @Test
    @Timeout(120)
    void aCloneOfARustDatabaseWorksHereAndAJavaMadeCloneReadsInRust(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        rust.write(RustWriteJob.create(dir, "src")
                .setting("compactor_options", null)
                .setting("garbage_collector_options", null)
                .put("a", "rust-1").put("b", "rust-1")
                .flushMemtable()
                .put("b", "rust-2").put("c", "rust-2").delete("a")
                .flushMemtable()
                .put("d", "rust-3"));
        TreeMap<String, String> expected = new TreeMap<>();
        expected.put("b", "rust-2");
        expected.put("c", "rust-2");
        expected.put("d", "rust-3");
        assertEquals(expected, rows(rust.read(dir, "src").entries()), "the source as SlateDB sees it");

        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            try (Admin admin = Admin.builder("clone", store).build()) {
                Manifest clone = InternalManifests.of(admin.createClone("src", null));
                assertEquals("src", clone.externalDbs().get(0).path());
            }
            try (Db db = Db.builder("clone", store).withSettings(SETTINGS).build()) {
                assertEquals(expected, scan(db), "the clone of the Rust database, read here");
                db.put(utf8("e"), utf8("java"));
                db.delete(utf8("b"));
                db.flush(FlushType.MEMTABLE);
                db.put(utf8("f"), utf8("java-wal")); // left in the clone's WAL
                expected.put("e", "java");
                expected.remove("b");
                expected.put("f", "java-wal");
                assertEquals(expected, scan(db));
            }
            // A nested clone made here from a checkpoint of the Java-written clone.
            try (Db db = Db.builder("clone", store).withSettings(SETTINGS).build()) {
                db.put(utf8("g"), utf8("java-nested"));
                CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
                try (Admin admin = Admin.builder("nested", store).build()) {
                    admin.createClone("clone", checkpoint.id());
                }
            }
        }
        expected.put("g", "java-nested");
        // SlateDB 0.12.1's DbReader looks for the source's SSTs under the clone's own path (object not
        // found), while its writer resolves external_dbs; so the writer is the reader here.
        assertEquals(expected, rows(rust.readAsWriter(dir, "nested", List.of()).entries()),
                "SlateDB opens a nested clone made here, its SSTs in two other databases");
        assertEquals(expected, rows(rust.readAsWriter(dir, "clone", List.of()).entries()),
                "SlateDB opens the clone made and written here, replaying its WAL");
        try (ObjectStore store = new LocalDirectoryObjectStore(dir);
             Db db = Db.builder("clone", store).withSettings(SETTINGS).build()) {
            assertEquals(expected, scan(db), "and the clone still opens here after SlateDB's writer");
        }
        assertNull(rows(rust.read(dir, "src").entries()).get("e"), "the source never saw the clone's writes");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static TreeMap<String, String> rows(List<Row> rows) {
        TreeMap<String, String> map = new TreeMap<>();
        for (Row row : rows) {
            map.put(new String(row.key(), StandardCharsets.UTF_8), new String(row.value(), StandardCharsets.UTF_8));
        }
        return map;
    }

    private static TreeMap<String, String> scan(Db db) {
        List<KeyValue> all = new ArrayList<>();
        try (DbIterator it = db.scan(null, null)) {
            it.forEachRemaining(all::add);
        }
        TreeMap<String, String> map = new TreeMap<>();
        all.forEach(kv -> map.put(new String(kv.key(), StandardCharsets.UTF_8),
                new String(kv.value(), StandardCharsets.UTF_8)));
        return map;
    }
}
