package io.slatedb;

import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.SstView;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A manifest snapshot's public view carries the stored manifest's fields, and cannot be changed. */
@Timeout(60)
class ManifestViewTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void viewMirrorsTheStoredManifest() {
        ObjectStore store = new InMemoryObjectStore();
        try (Db db = Db.builder("db", store).build();
             Admin admin = Admin.builder("db", store).build()) {
            db.put(b("a"), b("1"));
            db.put(b("z"), b("2"));
            db.flush(FlushType.MEMTABLE);
            CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.ALL,
                    CheckpointOptions.builder().name("v").lifetime(Duration.ofHours(1)).build());

            ManifestSnapshot snapshot = admin.readManifest().orElseThrow();
            Manifest internal = snapshot.internal();
            ManifestView view = snapshot.manifest();

            assertEquals(internal.writerEpoch(), view.writerEpoch());
            assertEquals(internal.compactorEpoch(), view.compactorEpoch());
            assertEquals(internal.core().nextWalSstId(), view.nextWalSstId());
            assertEquals(internal.core().replayAfterWalId(), view.replayAfterWalId());
            assertEquals(internal.core().lastL0Seq(), view.lastL0Seq());
            assertEquals(internal.core().lastL0ClockTick(), view.lastL0ClockTick());
            assertEquals(internal.core().recentSnapshotMinSeq(), view.recentSnapshotMinSeq());
            assertTrue(view.initialized());
            assertNull(view.walObjectStoreUri());
            assertEquals(List.of(), view.segments());
            assertEquals(List.of(view.tree()), view.allTrees());

            List<SstView> l0 = internal.core().tree().l0();
            assertEquals(l0.size(), view.tree().l0().size());
            assertTrue(l0.size() >= 1, "the flush wrote an L0 SST");
            for (int i = 0; i < l0.size(); i++) {
                ManifestView.SstView v = view.tree().l0().get(i);
                assertEquals(l0.get(i).id().toString(), v.id());
                assertEquals(l0.get(i).sst().id().toString(), v.sst().id());
                assertEquals(l0.get(i).sst().id().timestampMillis(), v.sst().createdMillis());
                assertEquals(l0.get(i).sst().info().estimatedSize(), v.sst().estimatedSize());
                assertArrayEquals(l0.get(i).sst().info().firstEntry(), v.sst().firstKey());
                assertEquals(l0.get(i).sst().info().compression(), v.sst().compression());
            }
            assertArrayEquals(b("a"), view.tree().l0().get(0).sst().firstKey());

            assertEquals(1, view.checkpoints().size());
            ManifestView.StoredCheckpoint stored = view.checkpoints().get(0);
            assertEquals(checkpoint.id(), stored.info().id());
            assertEquals("v", stored.info().name());
            assertEquals(stored.info().createTime().getEpochSecond(), stored.createTimeSeconds());
            assertEquals(stored.info().expireTime().getEpochSecond(), stored.expireTimeSeconds());
            assertEquals(admin.listCheckpoints(), snapshot.checkpoints());
            assertEquals(view.writerEpoch(), snapshot.writerEpoch());
        }
    }

    @Test
    void viewIsImmutableAndComparedByContent() {
        ObjectStore store = new InMemoryObjectStore();
        try (Db db = Db.builder("db", store).build();
             Admin admin = Admin.builder("db", store).build()) {
            db.put(b("k"), b("v"));
            db.flush(FlushType.MEMTABLE);
            ManifestSnapshot first = admin.readManifest().orElseThrow();
            ManifestSnapshot again = admin.readManifest(first.id()).orElseThrow();
            assertNotSame(first.manifest(), again.manifest());
            assertEquals(first.manifest(), again.manifest());
            assertEquals(first.manifest().hashCode(), again.manifest().hashCode());
            assertEquals(first, again);

            byte[] key = first.manifest().tree().l0().get(0).sst().firstKey();
            key[0] = 'x';
            assertArrayEquals(b("k"), first.manifest().tree().l0().get(0).sst().firstKey());
            byte[] tracker = first.manifest().sequenceTracker();
            if (tracker != null && tracker.length > 0) {
                tracker[0]++;
                assertEquals(again.manifest(), first.manifest());
            }
        }
    }
}
