package io.slatedb.gc;

import io.slatedb.GarbageCollectorResult;
import io.slatedb.GarbageCollector;
import io.slatedb.GarbageCollectorTask;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.Manifest;
import io.slatedb.metadata.Versioned;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class GarbageCollectorTest {
    private final GcFixture db = new GcFixture();

    @AfterEach
    void close() {
        db.close();
    }

    private static long walId(String path) {
        return DbLayout.parseWalSstId(path).orElseThrow();
    }

    private static long manifestId(String path) {
        return DbLayout.parseManifestId(path).orElseThrow();
    }

    private static Ulid sstId(String path) {
        return DbLayout.parseCompactedSstId(path).orElseThrow();
    }

    private Set<String> sstPaths(List<Ulid> ids) {
        Set<String> paths = new HashSet<>();
        ids.forEach(id -> paths.add(db.layout.compactedSstPath(id)));
        return paths;
    }

    /** Three rounds, a compaction of their L0s, one more round: plenty of garbage of every kind. */
    private List<Ulid> buildHistory() {
        db.round(1, 20);
        db.round(2, 20);
        db.round(3, 20);
        List<Ulid> compactedAway = db.compactL0();
        db.round(4, 20);
        return compactedAway;
    }

    @Test
    void unreachableOldObjectsAreDeletedAndEverythingReachableIsKept() {
        List<Ulid> compactedAway = buildHistory();
        db.walOnlyRound(5, 10); // rows only in WAL SSTs above the replay point
        db.clock.advance(Duration.ofHours(2));
        TreeSet<String> before = db.objects();
        Versioned<Manifest> latest = db.latest();

        GarbageCollectorResult result = db.collector().runOnce(false);

        TreeSet<String> after = db.objects();
        assertFalse(result.dryRun());
        // Objects counted before and after: the deleted ones are gone, and the manifest boundary and the
        // WAL deletion bound are new.
        assertEquals(before.size() - result.totalCount() + 2, after.size());
        TreeSet<String> expectedAfter = new TreeSet<>(before);
        expectedAfter.removeAll(result.allPaths());
        expectedAfter.add(db.layout.manifestBoundaryPath());
        expectedAfter.add(db.layout.walBoundaryPath());
        assertEquals(expectedAfter, after);

        // Manifests: only the latest is left.
        assertEquals(Set.of(db.layout.manifestPath(latest.id())), db.objects("manifest"));
        assertEquals(latest.id() - 1, result.count(GarbageCollectorTask.MANIFEST));
        // WAL: everything below the latest manifest's replay point went, the rest stayed.
        long replayAfter = latest.value().core().replayAfterWalId();
        assertTrue(replayAfter > 0);
        for (String path : db.objects("wal")) {
            assertTrue(walId(path) >= replayAfter, path);
        }
        for (String path : result.paths(GarbageCollectorTask.WAL)) {
            assertTrue(walId(path) < replayAfter, path);
        }
        assertTrue(result.count(GarbageCollectorTask.WAL) > 0);
        // This engine's writers fence with empty SSTs; the fence task takes those below the replay point.
        assertTrue(result.count(GarbageCollectorTask.WAL_FENCE) > 0);
        Set<Long> fenceIds = new HashSet<>();
        result.paths(GarbageCollectorTask.WAL_FENCE).forEach(p -> fenceIds.add(walId(p)));
        result.paths(GarbageCollectorTask.WAL).forEach(p -> assertFalse(fenceIds.contains(walId(p))));
        // Compacted: exactly the L0 SSTs the compaction replaced went; every SST the manifest lists stayed.
        assertEquals(sstPaths(compactedAway), new HashSet<>(result.paths(GarbageCollectorTask.COMPACTED)));
        Set<String> referenced = new HashSet<>();
        latest.value().core().tree().sstIds().forEach(id -> referenced.add(db.layout.compactedSstPath(id)));
        assertEquals(referenced, db.objects("compacted"));
        // .compactions: the only one is the latest, kept.
        assertEquals(0, result.count(GarbageCollectorTask.COMPACTIONS));
        assertEquals(1, db.objects("compactions").size());

        db.assertAllDataReadable();
    }

    @Test
    void youngObjectsAreKept() {
        List<Ulid> compactedAway = buildHistory();
        db.clock.advance(GcFixture.MIN_AGE.minusMinutes(30)); // the oldest object is now younger than min_age
        TreeSet<String> before = db.objects();

        GarbageCollectorResult result = db.collector().runOnce(false);

        assertEquals(0, result.totalCount(), result.toString());
        assertEquals(before, db.objects());

        db.clock.advance(Duration.ofMinutes(28)); // minutes 0 to 2 are now older than min_age, 3 and later not
        GarbageCollectorResult partial = db.collector().runOnce(false);
        assertTrue(partial.count(GarbageCollectorTask.MANIFEST) > 0);
        for (String path : partial.paths(GarbageCollectorTask.MANIFEST)) {
            assertTrue(manifestId(path) < db.latest().id());
        }
        // Rounds 1 to 3 (minutes 0 to 2) are old enough; the compaction (minute 3) is exactly min_age old.
        assertEquals(sstPaths(compactedAway), new HashSet<>(partial.paths(GarbageCollectorTask.COMPACTED)));
        db.assertAllDataReadable();
    }

    @Test
    void aDryRunDeletesNothingAndListsWhatARealRunDeletes() {
        buildHistory();
        db.addCheckpoint(db.latest().id() - 3, GcFixture.START.getEpochSecond() + 60); // already expired
        db.clock.advance(Duration.ofHours(2));
        TreeSet<String> before = db.objects();
        Versioned<Manifest> latestBefore = db.latest();

        GarbageCollectorResult dry = db.collector().runOnce(true);

        assertTrue(dry.dryRun());
        assertEquals(before, db.objects(), "a dry run deletes nothing");
        assertEquals(latestBefore.id(), db.latest().id(), "a dry run writes no manifest");
        assertEquals(1, dry.expiredCheckpoints().size());
        assertTrue(dry.totalCount() > 0);
        dry.tasks().values().forEach(task -> assertTrue(task.dryRun()));

        GarbageCollectorResult real = db.collector().runOnce(false);

        assertEquals(dry.expiredCheckpoints(), real.expiredCheckpoints());
        assertTrue(db.latest().value().core().checkpoints().isEmpty(), "the expired checkpoint was removed");
        for (GarbageCollectorTask task : GarbageCollectorTask.values()) {
            assertEquals(dry.paths(task), real.paths(task), task.toString());
        }
        TreeSet<String> expected = new TreeSet<>(before);
        expected.removeAll(dry.allPaths());
        expected.add(db.layout.manifestPath(db.latest().id())); // the manifest without the expired checkpoint
        expected.add(db.layout.manifestBoundaryPath());
        expected.add(db.layout.walBoundaryPath());
        assertEquals(expected, db.objects());
        db.assertAllDataReadable();
    }

    @Test
    void aCheckpointKeepsItsManifestWalAndSstsUntilItExpires() {
        db.round(1, 20);
        db.round(2, 20);
        Versioned<Manifest> pinned = db.latest();
        Map<String, String> pinnedData = new TreeMap<>(db.data);
        long expiry = db.clock.instant().plus(Duration.ofHours(5)).getEpochSecond();
        UUID checkpoint = db.addCheckpoint(pinned.id(), expiry);
        db.compactL0();
        db.round(3, 20);
        db.clock.advance(Duration.ofHours(2));
        Set<String> pinnedSsts = new HashSet<>();
        pinned.value().core().tree().sstIds().forEach(id -> pinnedSsts.add(db.layout.compactedSstPath(id)));

        GarbageCollectorResult result = db.collector().runOnce(false);

        assertTrue(db.objects("manifest").contains(db.layout.manifestPath(pinned.id())), "the pinned manifest");
        assertTrue(db.objects("compacted").containsAll(pinnedSsts), "the pinned manifest's SSTs");
        assertTrue(result.count(GarbageCollectorTask.MANIFEST) > 0);
        assertEquals(0, result.count(GarbageCollectorTask.COMPACTED), "every compacted-away SST is pinned");
        long pinnedReplayAfter = pinned.value().core().replayAfterWalId();
        long pinnedNext = pinned.value().core().nextWalSstId();
        for (long id = pinnedReplayAfter + 1; id < pinnedNext; id++) {
            assertTrue(db.objects("wal").contains(db.layout.walSstPath(id)), "pinned WAL " + id);
        }
        db.assertReadableAt(pinned.id(), pinnedData);
        db.assertAllDataReadable();

        // Once the checkpoint expires it is removed and its objects go.
        db.clock.advance(Duration.ofHours(4));
        GarbageCollectorResult afterExpiry = db.collector().runOnce(false);
        assertEquals(List.of(checkpoint), afterExpiry.expiredCheckpoints());
        assertTrue(db.latest().value().core().checkpoints().isEmpty());
        assertFalse(db.objects("manifest").contains(db.layout.manifestPath(pinned.id())));
        Set<String> stillThere = new HashSet<>(pinnedSsts);
        stillThere.retainAll(db.objects("compacted"));
        Set<String> referenced = new HashSet<>();
        db.latest().value().core().tree().sstIds().forEach(id -> referenced.add(db.layout.compactedSstPath(id)));
        assertEquals(referenced, db.objects("compacted"));
        assertTrue(stillThere.stream().allMatch(referenced::contains));
        db.assertAllDataReadable();
    }

    @Test
    void removingExpiredCheckpointsKeepsWhatOtherProcessesWroteMeanwhile() {
        db.round(1, 5);
        UUID expired = db.addCheckpoint(1, GcFixture.START.getEpochSecond() + 30);
        UUID live = db.addCheckpoint(1, 0);
        db.clock.advance(Duration.ofMinutes(5));
        Versioned<Manifest> before = db.latest();
        // Just before the collector commits its manifest, another process commits one with a new checkpoint.
        UUID[] raced = new UUID[1];
        db.store.beforeNextPut(path -> {
            if (path.startsWith(db.layout.manifestDir() + "/")) {
                raced[0] = UUID.randomUUID();
                Manifest m = before.value();
                List<io.slatedb.manifest.Checkpoint> checkpoints = new ArrayList<>(m.core().checkpoints());
                checkpoints.add(new io.slatedb.manifest.Checkpoint(raced[0], before.id(), 0, 0, "raced"));
                db.memory.put(db.layout.manifestPath(before.id() + 1), io.slatedb.manifest.ManifestCodec.encode(
                        m.withCore(m.core().toBuilder().checkpoints(checkpoints).build()))).join();
            }
        });

        db.collector().runTask(GarbageCollectorTask.MANIFEST, false);

        Versioned<Manifest> after = db.latest();
        assertEquals(before.id() + 2, after.id(), "the collector lost the race once, then committed on top");
        List<UUID> ids = after.value().core().checkpoints().stream().map(io.slatedb.manifest.Checkpoint::id).toList();
        assertEquals(List.of(live, raced[0]), ids);
        assertFalse(ids.contains(expired));
        assertEquals(before.value().withCore(before.value().core().toBuilder().checkpoints(List.of()).build()),
                after.value().withCore(after.value().core().toBuilder().checkpoints(List.of()).build()),
                "everything but the checkpoints is as it was");
        assertEquals(List.of(), db.collector().runOnce(true).expiredCheckpoints(), "nothing left to remove");
    }

    @Test
    void compactedSstsAreDeletedOnlyBelowTheCompactionsLowWatermark() {
        db.round(1, 10);
        db.round(2, 10);
        // The compaction's .compactions file is removed again: without one nothing may be deleted.
        List<Ulid> replaced = db.compactL0();
        db.memory.delete(db.layout.compactionsPath(1)).join();
        db.round(3, 10);
        db.clock.advance(Duration.ofHours(2));
        GarbageCollector collector = db.collector();

        assertEquals(List.of(), collector.runTask(GarbageCollectorTask.COMPACTED, false).paths(), "no .compactions file");

        db.writeCompactions(); // a compactions file that lists no compaction
        assertEquals(List.of(), collector.runTask(GarbageCollectorTask.COMPACTED, false).paths(), "no compaction listed");

        db.writeCompactions(Ulid.of(GcFixture.START.toEpochMilli() - 1, 0, 0)); // older than every SST
        assertEquals(List.of(), collector.runTask(GarbageCollectorTask.COMPACTED, false).paths(), "watermark below the SSTs");

        db.writeRawCompactions(new byte[]{0, 2, 1, 2, 3}); // unreadable
        assertEquals(List.of(), collector.runTask(GarbageCollectorTask.COMPACTED, false).paths(), "unreadable file");

        db.writeCompactions(Ulid.of(db.clock.millis(), 0, 0), Ulid.of(db.clock.millis() - 1000, 0, 0));
        List<String> deleted = collector.runTask(GarbageCollectorTask.COMPACTED, false).paths();
        assertEquals(sstPaths(replaced), new HashSet<>(deleted));
        db.assertAllDataReadable();
    }

    @Test
    void theNewestL0BoundsTheCompactedCutoff() {
        db.round(1, 10);
        db.round(2, 10);
        List<Ulid> replaced = db.compactL0(); // leaves no L0: the cutoff is the last compacted L0's time
        db.clock.advance(Duration.ofHours(2));

        List<String> deleted = db.collector().runTask(GarbageCollectorTask.COMPACTED, false).paths();

        // The newest compacted-away L0 is exactly at the cutoff, so it stays until a newer L0 exists.
        Ulid newest = replaced.get(0);
        assertEquals(replaced.size() - 1, deleted.size());
        assertFalse(deleted.contains(db.layout.compactedSstPath(newest)));
        db.round(3, 1);
        db.clock.advance(Duration.ofHours(2));
        assertEquals(List.of(db.layout.compactedSstPath(newest)),
                db.collector().runTask(GarbageCollectorTask.COMPACTED, false).paths());
        db.assertAllDataReadable();
    }

    @Test
    void manifestsAreDeletedOnlyAtOrBelowTheBoundaryAdvancedBeforehand() {
        buildHistory();
        db.clock.advance(Duration.ofHours(2));
        db.store.clearWrites();
        long latest = db.latest().id();

        db.collector().runTask(GarbageCollectorTask.MANIFEST, false);

        List<String> log = db.store.writes();
        String boundaryPut = "put " + db.layout.manifestBoundaryPath();
        int boundaryAt = log.indexOf(boundaryPut);
        assertTrue(boundaryAt >= 0, log.toString());
        long boundary = Long.parseLong(new String(db.memory.get(db.layout.manifestBoundaryPath()).join().data()));
        assertEquals(latest - 1, boundary);
        List<Long> deleted = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            String entry = log.get(i);
            if (entry.startsWith("delete " + db.layout.manifestDir())) {
                assertTrue(i > boundaryAt, "deleted before the boundary moved: " + entry);
                long id = manifestId(entry.substring("delete ".length()));
                assertTrue(id <= boundary, entry);
                deleted.add(id);
            }
        }
        assertEquals(latest - 1, deleted.size());
        // A writer can no longer commit an id at or below the boundary: the next commit goes above it.
        db.assertAllDataReadable();
        assertTrue(db.latest().id() > boundary);
    }

    @Test
    void compactionsFilesFollowTheBoundaryProtocolToo() {
        for (int i = 0; i < 4; i++) {
            db.writeCompactions(Ulid.of(db.clock.millis(), 0, i));
            db.clock.advance(Duration.ofMinutes(1));
        }
        db.round(1, 1);
        db.clock.advance(Duration.ofHours(2));
        db.writeCompactions(Ulid.of(db.clock.millis(), 0, 9)); // young, and the latest
        db.store.clearWrites();

        List<String> deleted = db.collector().runTask(GarbageCollectorTask.COMPACTIONS, false).paths();

        assertEquals(List.of(db.layout.compactionsPath(1), db.layout.compactionsPath(2), db.layout.compactionsPath(3),
                db.layout.compactionsPath(4)), deleted);
        assertEquals(Set.of(db.layout.compactionsPath(5)), db.objects("compactions"));
        List<String> log = db.store.writes();
        assertEquals("put " + db.layout.compactionsBoundaryPath(), log.get(0));
        assertEquals("4", new String(db.memory.get(db.layout.compactionsBoundaryPath()).join().data()));
    }

    @Test
    void withoutBoundaryFilesNothingIsWrittenToGc() {
        buildHistory();
        db.clock.advance(Duration.ofHours(2));
        GarbageCollectorOptions options = GcFixture.options().toBuilder().boundaryFilesEnabled(false).build();

        GarbageCollectorResult result = db.collector(options).runOnce(false);

        assertTrue(result.count(GarbageCollectorTask.MANIFEST) > 0);
        assertTrue(db.objects().stream().noneMatch(p -> p.startsWith(GcFixture.PATH + "/gc/")));
        assertEquals(1, db.objects("manifest").size());
    }

    @Test
    void walFencesStayWhileTheirTaskIsADryRunAsByDefault() {
        buildHistory();
        db.clock.advance(Duration.ofHours(2));
        GarbageCollectorOptions options = GcFixture.options().toBuilder()
                .walFenceOptions(GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT).build();

        GarbageCollectorResult result = db.collector(options).runOnce(false);

        assertTrue(result.tasks().get(GarbageCollectorTask.WAL_FENCE).dryRun());
        assertFalse(result.tasks().get(GarbageCollectorTask.WAL).dryRun());
        assertTrue(result.count(GarbageCollectorTask.WAL_FENCE) > 0);
        assertTrue(db.objects("wal").containsAll(result.paths(GarbageCollectorTask.WAL_FENCE)), "fences are only listed");
        assertTrue(result.paths(GarbageCollectorTask.WAL).stream().noneMatch(result.paths(GarbageCollectorTask.WAL_FENCE)::contains));
        assertTrue(result.count(GarbageCollectorTask.WAL) > 0);
        db.assertAllDataReadable();
    }

    @Test
    void disabledTasksDoNotRun() {
        buildHistory();
        db.clock.advance(Duration.ofHours(2));
        GarbageCollectorOptions options = GcFixture.options().toBuilder().manifestOptions(null).walOptions(null)
                .walFenceOptions(null).compactionsOptions(null).detachOptions(null).build();

        GarbageCollectorResult result = db.collector(options).runOnce(false);

        assertEquals(Set.of(GarbageCollectorTask.COMPACTED), result.tasks().keySet());
        assertTrue(db.objects("manifest").size() > 1);
    }
}
