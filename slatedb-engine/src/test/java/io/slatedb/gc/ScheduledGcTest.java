package io.slatedb.gc;

import io.slatedb.CloseReason;
import io.slatedb.Db;
import io.slatedb.GarbageCollector;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector running on its own: started by hand, and embedded in the writer. */
@Timeout(60)
class ScheduledGcTest {
    private final GcFixture db = new GcFixture();

    @AfterEach
    void close() {
        db.close();
    }

    /** Every task every 10 ms, objects older than an hour (of the fixture's clock). */
    private static GarbageCollectorOptions frequent() {
        GarbageCollectorDirectoryOptions task = new GarbageCollectorDirectoryOptions(Duration.ofMillis(10),
                GcFixture.MIN_AGE, false);
        return GarbageCollectorOptions.builder().manifestOptions(task).walOptions(task).walFenceOptions(task)
                .compactedOptions(task).compactionsOptions(task).build();
    }

    private boolean isManifest(String path) {
        return path.startsWith(db.layout.manifestDir() + "/");
    }

    @Test
    void startRunsTheTasksInTheBackgroundUntilClose() throws Exception {
        db.round(1, 5);
        db.round(2, 5);
        db.clock.advance(Duration.ofHours(2));
        CompletableFuture<String> manifestDeleted = db.store.awaitDelete(this::isManifest);
        GarbageCollector collector = db.collector(frequent());

        collector.start();
        collector.start(); // idempotent
        String deleted = manifestDeleted.get(30, TimeUnit.SECONDS);
        collector.close();
        collector.close(); // idempotent

        assertTrue(isManifest(deleted));
        SlateDbException e = assertThrows(SlateDbException.class, collector::start);
        assertEquals(CloseReason.CLEAN, e.closeReason());
        // What the background runs left is what a run now would leave, less what they had not reached yet.
        assertTrue(db.objects("manifest").size() < 6);
        db.assertAllDataReadable();
    }

    @Test
    void theWriterRunsTheCollectorItsSettingsAskForAndStopsItAtClose() throws Exception {
        db.round(1, 5);
        db.round(2, 5);
        db.clock.advance(Duration.ofHours(2));
        CompletableFuture<String> manifestDeleted = db.store.awaitDelete(this::isManifest);
        Settings settings = GcFixture.SETTINGS.toBuilder().garbageCollectorOptions(frequent()).build();

        try (Db writer = Db.builder(GcFixture.PATH, db.store).withSettings(settings).withClock(db.clock).build()) {
            writer.put(GcFixture.bytes("during"), GcFixture.bytes("gc"));
            db.data.put("during", "gc");
            assertTrue(isManifest(manifestDeleted.get(30, TimeUnit.SECONDS)));
        }

        db.store.clearWrites();
        db.assertAllDataReadable(); // a writer without a collector (the fixture's settings)
        assertTrue(db.store.writes().stream().noneMatch(entry -> entry.startsWith("delete ")),
                "the closed writer's collector deletes nothing: " + db.store.writes());
    }

    @Test
    void aWriterWithoutCollectorOptionsRunsNone() {
        db.round(1, 5);
        db.round(2, 5);
        db.clock.advance(Duration.ofHours(2));
        db.store.clearWrites();

        db.round(3, 5); // GcFixture.SETTINGS has no garbage collector options

        assertTrue(db.store.writes().stream().noneMatch(entry -> entry.startsWith("delete ")));
        assertTrue(EmbeddedGc.start("db", db.store, null, db.clock).runner() == null);
    }
}
