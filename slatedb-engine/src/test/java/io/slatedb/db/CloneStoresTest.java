package io.slatedb.db;

import io.slatedb.InternalManifests;
import io.slatedb.GarbageCollectorTask;
import io.slatedb.Admin;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Compactor;
import io.slatedb.CompactorOptions;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.FlushType;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.KeyValue;
import io.slatedb.Settings;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clone's whole life on each kind of store (memory, local directory, S3): creation with the WAL SSTs
 * copied by the store's own copy, reads across both paths, compaction, detach, and deleting the source.
 */
@Timeout(120)
class CloneStoresTest {
    private static final Settings SETTINGS = Settings.builder()
            .flushInterval(Duration.ofMillis(5))
            .compactorOptions(null)
            .garbageCollectorOptions(null)
            .build();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, String> scan(Db db) {
        SortedMap<String, String> rows = new TreeMap<>();
        try (DbIterator it = db.scan(null, null)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                rows.put(new String(kv.key(), StandardCharsets.UTF_8), new String(kv.value(), StandardCharsets.UTF_8));
            }
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void aCloneLivesAndDetachesOnEveryStore(TestStore kind) {
        try (TestStore.Opened opened = kind.open()) {
            ObjectStore store = opened.store();
            SortedMap<String, String> model = new TreeMap<>();
            UUID checkpoint;
            try (Db db = Db.builder("src", store).withSettings(SETTINGS).build()) {
                for (int i = 0; i < 40; i++) {
                    db.put(b("k" + i), b("l0-" + i));
                    model.put("k" + i, "l0-" + i);
                }
                db.flush(FlushType.MEMTABLE);
                for (int i = 0; i < 40; i += 3) {
                    db.put(b("k" + i), b("wal-" + i)); // durable in the WAL only
                    model.put("k" + i, "wal-" + i);
                }
                checkpoint = db.createCheckpoint(CheckpointScope.DURABLE, CheckpointOptions.DEFAULT).id();
            }
            Manifest clone;
            try (Admin admin = Admin.builder("clone", store).build()) {
                clone = InternalManifests.of(admin.createClone("src", checkpoint));
            }
            for (long id = clone.core().replayAfterWalId() + 1; id < clone.core().nextWalSstId(); id++) {
                assertArrayEquals(Futures.join(store.get(DbLayout.of("src").walSstPath(id))).data(),
                        Futures.join(store.get(DbLayout.of("clone").walSstPath(id))).data(), "WAL SST " + id);
            }
            try (Db db = Db.builder("clone", store).withSettings(SETTINGS).build()) {
                assertEquals(model, scan(db));
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 40; i += 2) {
                        db.put(b("k" + i), b("clone-" + round + "-" + i));
                        model.put("k" + i, "clone-" + round + "-" + i);
                    }
                    db.flush(FlushType.MEMTABLE);
                }
            }
            CompactorOptions full = CompactorOptions.builder().minCompactionSources(2).maxCompactionSources(64)
                    .includeSizeThreshold(1e9).build();
            try (Compactor compactor = Compactor.builder("clone", store).withOptions(full).build()) {
                compactor.runUntilIdle();
            }
            try (Admin admin = Admin.builder("clone", store).build()) {
                GarbageCollectorOptions detachOnly = GarbageCollectorOptions.builder().manifestOptions(null)
                        .walOptions(null).walFenceOptions(null).compactedOptions(null).compactionsOptions(null).build();
                assertEquals(List.of("src"), admin.runGarbageCollection(detachOnly, false)
                        .paths(GarbageCollectorTask.DETACH));
            }
            try (Admin admin = Admin.builder("src", store).build()) {
                assertTrue(admin.listCheckpoints().stream().allMatch(c -> c.id().equals(checkpoint)),
                        "only the user's checkpoint is left in the source");
                admin.deleteDb(true);
            }
            assertEquals(List.of(), Futures.join(store.listAll("src/")).stream().map(ObjectMetadata::path).toList());
            try (Db db = Db.builder("clone", store).withSettings(SETTINGS).build()) {
                assertEquals(model, scan(db));
            }
        }
    }
}
