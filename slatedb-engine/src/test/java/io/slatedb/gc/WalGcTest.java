package io.slatedb.gc;

import io.slatedb.testing.MutableClock;
import io.slatedb.GarbageCollectorResult;
import io.slatedb.GarbageCollector;
import io.slatedb.GarbageCollectorTask;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalObjects;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The WAL tasks on hand-built manifests and WAL objects (no writer involved). */
@Timeout(30)
class WalGcTest {
    private final MutableClock clock = new MutableClock(GcFixture.START);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final DbLayout layout = DbLayout.of("db");
    private final SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, layout, true);

    @AfterEach
    void close() {
        store.close();
    }

    private StoredObject<Manifest> manifest(long replayAfter, long nextWal) {
        ManifestCore core = ManifestCore.initial().toBuilder().replayAfterWalId(replayAfter).nextWalSstId(nextWal).build();
        return Futures.join(StoredObject.loadOrCreate(manifests, Manifest.initial(core)));
    }

    private void wal(long id, boolean fence) {
        byte[] bytes = fence ? new byte[0] : WalObjects.encode(List.of(RowEntry.value(new byte[]{'k'},
                new byte[]{'v'}, id)), SstWriterOptions.DEFAULTS);
        Futures.join(store.put(layout.walSstPath(id), bytes));
    }

    private Set<Long> walIds() {
        return Futures.join(store.listAll("db/wal/")).stream()
                .map(o -> DbLayout.parseWalSstId(o.path()).orElseThrow())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Long> ids(List<String> paths) {
        return paths.stream().map(p -> DbLayout.parseWalSstId(p).orElseThrow()).toList();
    }

    @Test
    void keepsTheLatestManifestsReplayRangeEveryCheckpointsRangeAndTheNewestObject() {
        StoredObject<Manifest> stored = manifest(3, 6); // manifest 1: its WAL range is (3, 6) = {4, 5}
        Manifest first = stored.current().value();
        ManifestCore latestCore = first.core().toBuilder().replayAfterWalId(10).nextWalSstId(12)
                .checkpoints(List.of(new Checkpoint(UUID.randomUUID(), 1, 0, 0, "pin"))).build();
        Futures.join(stored.update(first.withCore(latestCore))); // manifest 2: needs 10 and later
        for (long id = 1; id <= 11; id++) {
            wal(id, id == 7 || id == 5);
        }
        clock.advance(Duration.ofHours(2));
        GarbageCollector collector = GarbageCollector.builder("db", store).withOptions(GcFixture.options())
                .withClock(clock).build();

        GarbageCollectorResult result = collector.runOnce(false);

        assertEquals(List.of(1L, 2L, 3L, 6L, 8L, 9L), ids(result.paths(GarbageCollectorTask.WAL)));
        assertEquals(List.of(7L), ids(result.paths(GarbageCollectorTask.WAL_FENCE)));
        assertEquals(Set.of(4L, 5L, 10L, 11L), walIds());
    }

    @Test
    void fencesStayWhileTheirTaskIsTheDefaultDryRun() {
        manifest(10, 11);
        for (long id = 1; id <= 6; id++) {
            wal(id, id % 2 == 0);
        }
        clock.advance(Duration.ofHours(2));
        GarbageCollector collector = GarbageCollector.builder("db", store).withOptions(GcFixture.options().toBuilder()
                .walFenceOptions(io.slatedb.GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT).build())
                .withClock(clock).build();

        GarbageCollectorResult result = collector.runOnce(false);

        assertEquals(true, result.tasks().get(GarbageCollectorTask.WAL_FENCE).dryRun());
        assertEquals(List.of(2L, 4L), ids(result.paths(GarbageCollectorTask.WAL_FENCE)), "6 is the newest");
        assertEquals(List.of(1L, 3L, 5L), ids(result.paths(GarbageCollectorTask.WAL)));
        assertEquals(Set.of(2L, 4L, 6L), walIds());
    }

    @Test
    void neverDeletesTheNewestWalObjectEvenBelowTheReplayPoint() {
        manifest(20, 21);
        for (long id = 1; id <= 5; id++) {
            wal(id, false);
        }
        clock.advance(Duration.ofHours(2));

        List<String> deleted = GarbageCollector.builder("db", store).withOptions(GcFixture.options()).withClock(clock)
                .build().runTask(GarbageCollectorTask.WAL, false).paths();

        assertEquals(List.of(1L, 2L, 3L, 4L), ids(deleted));
        assertEquals(Set.of(5L), walIds());
    }

    @Test
    void objectsThatAreNeitherWalSstsNorFencesAreKept() {
        manifest(10, 11);
        byte[] notAnSst = new byte[64];
        java.util.Arrays.fill(notAnSst, (byte) 0x55);
        Futures.join(store.put(layout.walSstPath(1), notAnSst)); // small, but not an SST
        wal(2, false);
        wal(3, false);
        clock.advance(Duration.ofHours(2));

        GarbageCollectorResult result = GarbageCollector.builder("db", store).withOptions(GcFixture.options())
                .withClock(clock).build().runOnce(false);

        assertEquals(List.of(2L), ids(result.paths(GarbageCollectorTask.WAL)));
        assertEquals(List.of(), result.paths(GarbageCollectorTask.WAL_FENCE));
        assertEquals(Set.of(1L, 3L), walIds());
    }

    @Test
    void aMissingCheckpointManifestStopsCollection() {
        StoredObject<Manifest> stored = manifest(3, 6);
        Manifest first = stored.current().value();
        Futures.join(stored.update(first.withCore(first.core().toBuilder().replayAfterWalId(10)
                .checkpoints(List.of(new Checkpoint(UUID.randomUUID(), 7, 0, 0, null))).build())));
        wal(1, false);
        wal(2, false);
        clock.advance(Duration.ofHours(2));
        GarbageCollector collector = GarbageCollector.builder("db", store).withOptions(GcFixture.options())
                .withClock(clock).build();

        io.slatedb.SlateDbException e = org.junit.jupiter.api.Assertions.assertThrows(io.slatedb.SlateDbException.class,
                () -> collector.runTask(GarbageCollectorTask.WAL, false));
        assertEquals(io.slatedb.ErrorKind.DATA, e.kind());
        assertEquals(Set.of(1L, 2L), walIds());
    }
}
