package io.slatedb.checkpoint;

import io.slatedb.CheckpointOptions;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint mutators through {@link StoredObject#maybeApplyUpdate} from a stale copy, with the lost
 * race forced in both directions: the stale side re-reads, re-applies its change to what the winner
 * wrote, and keeps the winner's fields.
 */
@Timeout(60)
class CheckpointCasTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void staleCheckpointUpdateRetriesOnTopOfTheWritersPublishAndTheWriterKeepsIt() {
        try (InMemoryObjectStore store = new InMemoryObjectStore();
             Db db = Db.builder("db", store).withSettings(io.slatedb.Settings.builder()
                     // No compactor: it would move the L0 SSTs the test counts whenever its poll came.
                     .manifestPollInterval(Duration.ofHours(1)).compactorOptions(null).build()).build()) {
            SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, DbLayout.of("db"), true);
            StoredObject<Manifest> stale = Futures.join(StoredObject.load(manifests, "manifest"));
            long staleId = stale.current().id();

            // The writer publishes an L0 SST after our copy was read: our first commit attempt loses.
            db.put(b("a"), b("1"));
            db.flush(FlushType.MEMTABLE);
            UUID id = UUID.randomUUID();
            Versioned<Manifest> written = Futures.join(stale.maybeApplyUpdate(
                    Checkpoints.creating(id, CheckpointOptions.builder().name("stale").build(), Clock.systemUTC())));
            assertEquals(staleId + 2, written.id(), "committed after the writer's publish");
            assertEquals(1, written.value().core().l0().size(), "the writer's L0 SST is kept");
            assertEquals(written.id(), Checkpoints.find(written.value(), id).orElseThrow().manifestId(),
                    "pins the manifest that finally added it");

            // Now the writer is the stale one (no poll in between): its publish loses, merges, keeps ours.
            db.put(b("b"), b("2"));
            db.flush(FlushType.MEMTABLE);
            Versioned<Manifest> latest = Futures.join(manifests.readLatest()).orElseThrow();
            assertEquals(written.id() + 1, latest.id());
            assertEquals(2, latest.value().core().l0().size());
            assertTrue(Checkpoints.find(latest.value(), id).isPresent());

            // Refresh and delete from a copy that is stale again.
            db.put(b("c"), b("3"));
            db.flush(FlushType.MEMTABLE);
            Versioned<Manifest> refreshed = Futures.join(stale.maybeApplyUpdate(
                    Checkpoints.refreshing(id, Duration.ofMinutes(5), Clock.systemUTC())));
            assertEquals(3, refreshed.value().core().l0().size());
            assertTrue(Checkpoints.find(refreshed.value(), id).orElseThrow().expireTimeSeconds() > 0);
            db.put(b("d"), b("4"));
            db.flush(FlushType.MEMTABLE);
            Versioned<Manifest> deleted = Futures.join(stale.maybeApplyUpdate(Checkpoints.deleting(id)));
            assertEquals(4, deleted.value().core().l0().size());
            assertTrue(Checkpoints.find(deleted.value(), id).isEmpty());
            assertEquals(1, deleted.value().writerEpoch());
        }
    }
}
