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
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalObjects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifest and WAL tasks against a model, on random hand-built histories: manifests written at
 * random times, each with its own WAL range, the latest pinning random earlier ones with checkpoints;
 * WAL objects (SSTs and zero-byte fences) written at random times.
 */
class GcModelPropertiesTest {
    private static final Duration MIN_AGE = GcFixture.MIN_AGE;

    /** One manifest: written {@code minutesAfterPrevious} after the one before, with this WAL range. */
    record ManifestSpec(int minutesAfterPrevious, int replayAdvance, int nextAhead) {
    }

    /** One WAL object: a fence or not, written {@code minutesAfterStart}. */
    record WalSpec(boolean fence, int minutesAfterStart) {
    }

    record History(List<ManifestSpec> manifests, Set<Integer> pinnedIndexes, List<WalSpec> wals, int nowMinutes) {
    }

    @Provide
    Arbitrary<History> histories() {
        Arbitrary<ManifestSpec> manifest = Combinators.combine(Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 4)).as(ManifestSpec::new);
        Arbitrary<WalSpec> wal = Combinators.combine(Arbitraries.of(true, false, false),
                Arbitraries.integers().between(0, 200)).as(WalSpec::new);
        return Combinators.combine(manifest.list().ofMinSize(1).ofMaxSize(12),
                Arbitraries.integers().between(0, 11).set().ofMaxSize(4), wal.list().ofMaxSize(25),
                Arbitraries.integers().between(0, 400)).as(History::new);
    }

    @Property(tries = 60)
    void manifestAndWalTasksDeleteExactlyWhatTheModelSays(@ForAll("histories") History history) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> check(history));
    }

    private void check(History history) {
        MutableClock clock = new MutableClock(GcFixture.START);
        try (InMemoryObjectStore store = new InMemoryObjectStore(clock)) {
            DbLayout layout = DbLayout.of("db");
            SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, layout, true);
            int n = history.manifests().size();
            // Manifest i (1-based) and the time it was written.
            Map<Long, Instant> written = new TreeMap<>();
            Map<Long, long[]> walRange = new TreeMap<>();
            StoredObject<Manifest> stored = null;
            long replayAfter = 0;
            Set<Long> pinned = new TreeSet<>();
            history.pinnedIndexes().stream().filter(i -> i < n - 1).forEach(i -> pinned.add((long) i + 1));
            for (int i = 0; i < n; i++) {
                ManifestSpec spec = history.manifests().get(i);
                clock.advance(Duration.ofMinutes(spec.minutesAfterPrevious()));
                replayAfter += spec.replayAdvance();
                long next = replayAfter + spec.nextAhead();
                ManifestCore.Builder core = ManifestCore.initial().toBuilder().replayAfterWalId(replayAfter).nextWalSstId(next);
                if (i == n - 1) {
                    List<Checkpoint> checkpoints = new ArrayList<>();
                    pinned.forEach(id -> checkpoints.add(new Checkpoint(UUID.randomUUID(), id, 0, 0, null)));
                    core.checkpoints(checkpoints);
                }
                Manifest manifest = Manifest.initial(core.build());
                stored = stored == null ? Futures.join(StoredObject.loadOrCreate(manifests, manifest)) : stored;
                if (i > 0) {
                    Futures.join(stored.update(manifest));
                } else if (!stored.current().value().equals(manifest)) {
                    throw new AssertionError("fresh store");
                }
                written.put((long) i + 1, clock.instant());
                walRange.put((long) i + 1, new long[]{replayAfter, next});
            }
            Instant start = GcFixture.START;
            Map<Long, WalSpec> wals = new TreeMap<>();
            for (int i = 0; i < history.wals().size(); i++) {
                WalSpec spec = history.wals().get(i);
                long id = i + 1;
                wals.put(id, spec);
                Instant at = start.plus(Duration.ofMinutes(spec.minutesAfterStart()));
                byte[] bytes = spec.fence() ? new byte[0] : WalObjects.encode(List.of(RowEntry.value(new byte[]{'k'},
                        new byte[]{'v'}, id)), SstWriterOptions.DEFAULTS);
                writeAt(store, clock, at, layout.walSstPath(id), bytes);
            }
            Instant now = start.plus(Duration.ofMinutes(history.nowMinutes()));
            if (now.isBefore(clock.instant())) {
                now = clock.instant();
            }
            clock.set(now);

            GarbageCollectorResult result = GarbageCollector.builder("db", store).withOptions(GcFixture.options())
                    .withClock(clock).build().runOnce(false);

            // The model.
            List<String> expectedManifests = new ArrayList<>();
            for (Map.Entry<Long, Instant> m : written.entrySet()) {
                if (m.getKey() < n && !pinned.contains(m.getKey()) && old(m.getValue(), now)) {
                    expectedManifests.add(layout.manifestPath(m.getKey()));
                }
            }
            List<String> expectedWal = new ArrayList<>();
            List<String> expectedFences = new ArrayList<>();
            long newest = wals.isEmpty() ? 0 : wals.size();
            long latestReplayAfter = walRange.get((long) n)[0];
            for (Map.Entry<Long, WalSpec> w : wals.entrySet()) {
                long id = w.getKey();
                boolean referenced = id >= latestReplayAfter || pinned.stream().anyMatch(p ->
                        id > walRange.get(p)[0] && id < walRange.get(p)[1]);
                Instant at = start.plus(Duration.ofMinutes(w.getValue().minutesAfterStart()));
                if (id == newest || referenced || !old(at, now)) {
                    continue;
                }
                (w.getValue().fence() ? expectedFences : expectedWal).add(layout.walSstPath(id));
            }
            assertEquals(expectedManifests, result.paths(GarbageCollectorTask.MANIFEST));
            assertEquals(expectedWal, result.paths(GarbageCollectorTask.WAL));
            assertEquals(expectedFences, result.paths(GarbageCollectorTask.WAL_FENCE));
            // The boundary covers every deleted manifest and stays below the latest.
            long boundary = Futures.join(new io.slatedb.metadata.BoundaryFile(store, layout.manifestBoundaryPath()).read());
            for (String path : expectedManifests) {
                assertTrue(DbLayout.parseManifestId(path).orElseThrow() <= boundary);
            }
            assertTrue(boundary < n);
        }
    }

    private static boolean old(Instant at, Instant now) {
        return Duration.between(at, now).compareTo(MIN_AGE) > 0;
    }

    private static void writeAt(InMemoryObjectStore store, MutableClock clock, Instant at, String path, byte[] bytes) {
        Instant saved = clock.instant();
        clock.set(at);
        Futures.join(store.put(path, bytes));
        clock.set(saved);
    }
}
