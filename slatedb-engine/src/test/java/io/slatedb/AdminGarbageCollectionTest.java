package io.slatedb;

import io.slatedb.store.InMemoryObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class AdminGarbageCollectionTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    private int count(String dir) {
        return store.listAll("db/" + dir + "/").join().size();
    }

    @Test
    void dryRunListsWhatARealRunThenDeletesAndTheDatabaseStillReadsEverything() {
        Settings settings = Settings.builder().garbageCollectorOptions(null).compactorOptions(null).build();
        try (Db db = Db.builder("db", store).withSettings(settings).build()) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 50; i++) {
                    db.put(("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + round).getBytes(StandardCharsets.UTF_8),
                            PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                }
                db.flush(FlushType.MEMTABLE);
            }
        }
        int manifestsBefore = count("manifest");
        int walBefore = count("wal");
        assertTrue(manifestsBefore > 5, "manifests: " + manifestsBefore);
        // A day later every object is past SlateDB's default minimum ages.
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        try (Admin admin = Admin.builder("db", store).withClock(later).build()) {
            GarbageCollectorResult dry = admin.runGarbageCollection(true);
            assertTrue(dry.totalCount() > 0, dry.toString());
            assertEquals(manifestsBefore, count("manifest"), "a dry run deletes nothing");
            GarbageCollectorResult real = admin.runGarbageCollection(false);
            assertEquals(dry.allPaths(), real.allPaths());
        }
        assertTrue(count("manifest") < manifestsBefore);
        assertTrue(count("wal") < walBefore);
        try (Db db = Db.builder("db", store).withSettings(settings).build()) {
            for (int i = 0; i < 50; i++) {
                assertArrayEquals("v4".getBytes(StandardCharsets.UTF_8), db.get(("k" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
