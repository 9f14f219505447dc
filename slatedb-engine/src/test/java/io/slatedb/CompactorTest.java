package io.slatedb;

import io.slatedb.compaction.CompactionsCodec;
import io.slatedb.compaction.CompactionsState;
import io.slatedb.compaction.TreeContents;
import io.slatedb.manifest.Manifest;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compactor end to end: embedded in the writer, on its own, with garbage collection, checkpoints and crashes. */
@Timeout(120)
class CompactorTest {
    private static final String PATH = "db";
    /** A small L0 SST, so that a few hundred KB of writes make dozens of L0 flushes. */
    private static final long L0_BYTES = 8 * 1024;

    /** Compaction every 20 ms into runs of 32 KiB SSTs. */
    static final CompactorOptions FAST = CompactorOptions.builder()
            .pollInterval(Duration.ofMillis(20))
            .maxSstSize(32 * 1024)
            .build();

    /** Every collection task every 20 ms, deleting whatever is unreferenced and 1 ms old. */
    static GarbageCollectorOptions eagerGc() {
        GarbageCollectorDirectoryOptions task = new GarbageCollectorDirectoryOptions(Duration.ofMillis(20),
                Duration.ofMillis(1), false);
        return GarbageCollectorOptions.builder().manifestOptions(task).walOptions(task).walFenceOptions(task)
                .compactedOptions(task).compactionsOptions(task).build();
    }

    static Settings.Builder settings() {
        return Settings.builder().l0SstSizeBytes(L0_BYTES).flushInterval(Duration.ofMillis(5));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, String> scanAll(Db db) {
        SortedMap<String, String> rows = new TreeMap<>();
        try (DbIterator it = db.scan(null, null)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                rows.put(new String(kv.key(), StandardCharsets.UTF_8), new String(kv.value(), StandardCharsets.UTF_8));
            }
        }
        return rows;
    }

    /** Puts, overwrites and deletes {@code ops} times over {@code keys} keys, mirrored in {@code model}. */
    private static void workload(Db db, Random random, int ops, int keys, String tag, SortedMap<String, String> model) {
        for (int i = 0; i < ops; i++) {
            String key = String.format("key-%05d", random.nextInt(keys));
            if (random.nextInt(10) < 2) {
                db.delete(bytes(key), WriteOptions.NO_AWAIT);
                model.remove(key);
            } else {
                String value = tag + "-" + i + "-" + "x".repeat(random.nextInt(200));
                db.put(bytes(key), bytes(value), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                model.put(key, value);
            }
        }
    }

    private static Manifest latestManifest(ObjectStore store) {
        try (Admin admin = Admin.builder(PATH, store).build()) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    private static List<String> list(ObjectStore store, String prefix) {
        List<String> paths = new ArrayList<>();
        String after = null;
        while (true) {
            ListPage page = Futures.join(store.list(prefix, after, 1000));
            page.objects().forEach(o -> paths.add(o.path()));
            if (page.objects().isEmpty() || !page.truncated()) {
                return paths;
            }
            after = paths.get(paths.size() - 1);
        }
    }

    private static CompactionsState latestCompactions(ObjectStore store) {
        List<String> files = list(store, PATH + "/compactions/");
        String last = files.get(files.size() - 1);
        return CompactionsCodec.INSTANCE.decode(last, Futures.join(store.get(last)).data());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void aWorkloadManyL0FlushesLargeReadsBackLikeASortedMapAfterCompactionAndGc(long seed) {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Settings settings = settings().compactorOptions(FAST).garbageCollectorOptions(eagerGc()).build();
        SortedMap<String, String> model = new TreeMap<>();
        Random random = new Random(seed);
        try (Db db = Db.builder(PATH, store).withSettings(settings).build()) {
            workload(db, random, 6_000, 1_500, "a", model);
            db.flush(FlushType.MEMTABLE);
            workload(db, random, 6_000, 1_500, "b", model);
        }
        Manifest closed = latestManifest(store);
        assertFalse(closed.core().compacted().isEmpty(), "L0 was compacted into sorted runs");
        TreeContents.assertRunsDisjoint(closed);
        assertEquals(model, TreeContents.read(store, PATH, closed), "the tree alone holds every write");
        CompactionsState compactions = latestCompactions(store);
        assertEquals(closed.compactorEpoch(), compactions.compactorEpoch());
        assertTrue(compactions.recent().stream().allMatch(r -> r.status().finished()),
                "the compactor stopped with the writer: " + compactions);

        // Reopened with its compactor but a collector that waits the default 5 minutes: a scan reads the
        // SSTs of the view it started with, which a compaction may replace meanwhile.
        Settings reopen = settings.toBuilder().garbageCollectorOptions(GarbageCollectorOptions.DEFAULT).build();
        try (Db db = Db.builder(PATH, store).withSettings(reopen).build()) {
            assertEquals(model, scanAll(db));
            for (int i = 0; i < 300; i++) {
                String key = String.format("key-%05d", random.nextInt(1_600));
                byte[] value = db.get(bytes(key));
                assertEquals(model.get(key), value == null ? null : new String(value, StandardCharsets.UTF_8), key);
            }
        }
    }

    @Test
    void deletesAndOverwritesShrinkTheTreeOnceCompactedIntoTheOldestRun() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Settings settings = settings().l0SstSizeBytes(1 << 20).compactorOptions(null).garbageCollectorOptions(null)
                .build();
        try (Db db = Db.builder(PATH, store).withSettings(settings).build()) {
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 200; i++) {
                    db.put(bytes(String.format("k%04d", i)), bytes("round-" + round), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                }
                if (round == 3) {
                    for (int i = 0; i < 200; i += 2) {
                        db.delete(bytes(String.format("k%04d", i)), WriteOptions.NO_AWAIT);
                    }
                }
                db.flush(FlushType.MEMTABLE);
            }
        }
        assertEquals(4, latestManifest(store).core().l0().size());
        try (Compactor compactor = Compactor.builder(PATH, store).withOptions(FAST).withSettings(settings).build()) {
            compactor.runUntilIdle();
            assertEquals(1, compactor.completedCompactions());
        }
        Manifest compacted = latestManifest(store);
        assertEquals(0, compacted.core().l0().size());
        assertEquals(1, compacted.core().compacted().size());
        assertEquals(0, compacted.core().compacted().get(0).id());
        SortedMap<String, String> rows = TreeContents.read(store, PATH, compacted);
        assertEquals(100, rows.size());
        rows.values().forEach(v -> assertEquals("round-3", v));
        assertNotNull(compacted.core().tree().lastCompactedL0ViewId());
        // One version per live key and no tombstones: the oldest run keeps only what a read can see.
        assertEquals(100, TreeContents.countVersions(store, PATH, compacted));
    }

    @Test
    void aCheckpointReadsItsOwnDataThroughCompactionsAndGcAndItsFilesGoWithIt() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Settings settings = settings().compactorOptions(FAST).garbageCollectorOptions(eagerGc()).build();
        SortedMap<String, String> before = new TreeMap<>();
        SortedMap<String, String> after = new TreeMap<>();
        Random random = new Random(3);
        CheckpointCreateResult checkpoint;
        try (Db db = Db.builder(PATH, store).withSettings(settings).build()) {
            workload(db, random, 3_000, 800, "before", before);
            db.flush(FlushType.MEMTABLE);
            checkpoint = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT);
            after.putAll(before);
            workload(db, random, 12_000, 800, "after", after);
            db.flush(FlushType.MEMTABLE);
        }
        Manifest checkpointed;
        try (Admin admin = Admin.builder(PATH, store).build()) {
            checkpointed = admin.readManifest(checkpoint.manifestId()).orElseThrow().internal();
        }
        // Several compactions and collections later the checkpoint still reads exactly its data.
        assertTrue(latestManifest(store).core().compacted().stream().noneMatch(run ->
                checkpointed.core().compacted().contains(run)) || checkpointed.core().compacted().isEmpty());
        assertEquals(before, TreeContents.read(store, PATH, checkpointed));
        assertEquals(after, TreeContents.read(store, PATH, latestManifest(store)));

        GarbageCollectorOptions gc = eagerGc();
        int pinned;
        try (Admin admin = Admin.builder(PATH, store).build()) {
            admin.runGarbageCollection(gc, false);
            pinned = list(store, PATH + "/compacted/").size();
            assertTrue(admin.deleteCheckpoint(checkpoint.id()));
            admin.runGarbageCollection(gc, false);
        }
        List<String> left = list(store, PATH + "/compacted/");
        assertTrue(left.size() < pinned, "deleting the checkpoint let GC delete its SSTs: " + pinned + " -> " + left.size());
        Manifest latest = latestManifest(store);
        for (var id : checkpointed.core().tree().sstIds()) {
            if (!latest.core().tree().sstIds().contains(id)) {
                assertFalse(left.contains(PATH + "/compacted/" + id + ".sst"), "collected: " + id);
            }
        }
        assertEquals(after, TreeContents.read(store, PATH, latest));
    }

    /** A database of {@code ssts} L0 SSTs written with no compactor; returns its contents. */
    private static SortedMap<String, String> l0Database(ObjectStore store, int ssts) {
        SortedMap<String, String> model = new TreeMap<>();
        Settings settings = settings().compactorOptions(null).garbageCollectorOptions(null).build();
        try (Db db = Db.builder(PATH, store).withSettings(settings).build()) {
            for (int s = 0; s < ssts; s++) {
                for (int i = 0; i < 100; i++) {
                    String key = String.format("k%04d", (i * 7 + s * 13) % 300);
                    String value = "sst" + s + "-" + i;
                    db.put(bytes(key), bytes(value), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                    model.put(key, value);
                }
                db.flush(FlushType.MEMTABLE);
            }
        }
        return model;
    }

    @Test
    void aCompactorKilledBeforeItsManifestWriteLosesAndDuplicatesNothing() {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        SortedMap<String, String> model = l0Database(memory, 6);
        Manifest original = latestManifest(memory);
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(memory);
        Compactor crashing = Compactor.builder(PATH, faulty).withOptions(FAST).build();
        // From now on every manifest write fails: the compaction's commit never lands.
        faulty.inject(FaultRule.on(FaultInjectingObjectStore.Operation.PUT, Fault.failPermanently())
                .forPaths(p -> p.startsWith(PATH + "/manifest/")).always());
        assertThrows(SlateDbException.class, crashing::runUntilIdle);
        crashing.close();

        Manifest afterCrash = latestManifest(memory);
        assertEquals(original.core().tree(), afterCrash.core().tree(), "the manifest did not change");
        List<String> orphans = new ArrayList<>(list(memory, PATH + "/compacted/"));
        assertTrue(orphans.size() > original.core().l0().size(), "the crashed compaction wrote its output");
        assertEquals(model, TreeContents.read(memory, PATH, afterCrash));

        orphans.removeIf(p -> original.core().tree().sstIds().stream().anyMatch(id -> p.endsWith(id + ".sst")));

        try (Compactor restarted = Compactor.builder(PATH, memory).withOptions(FAST).build()) {
            restarted.runUntilIdle();
            assertTrue(restarted.completedCompactions() >= 1);
        }
        Manifest compacted = latestManifest(memory);
        assertTrue(compacted.core().l0().size() < 4);
        TreeContents.assertRunsDisjoint(compacted);
        assertEquals(model, TreeContents.read(memory, PATH, compacted));
        Settings noCompactor = settings().compactorOptions(null).garbageCollectorOptions(null).build();
        try (Db db = Db.builder(PATH, memory).withSettings(noCompactor).build()) {
            assertEquals(model, scanAll(db));
            db.put(bytes("later"), bytes("v")); // a newer L0 moves the collector's ULID cutoff past the orphans
            db.flush(FlushType.MEMTABLE);
        }
        // The crashed compaction's output is garbage: in no manifest, and collected.
        try (Admin admin = Admin.builder(PATH, memory).build()) {
            admin.runGarbageCollection(eagerGc(), false);
        }
        List<String> left = list(memory, PATH + "/compacted/");
        orphans.forEach(orphan -> assertFalse(left.contains(orphan), "collected: " + orphan));
    }

    @Test
    void aNewerCompactorFencesTheOlderOne() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        SortedMap<String, String> model = l0Database(store, 5);
        try (Compactor older = Compactor.builder(PATH, store).withOptions(FAST).build();
             Compactor newer = Compactor.builder(PATH, store).withOptions(FAST).build()) {
            assertEquals(older.epoch() + 1, newer.epoch());
            SlateDbException fenced = assertThrows(SlateDbException.class, older::runUntilIdle);
            assertEquals(ErrorKind.CLOSED, fenced.kind());
            assertEquals(CloseReason.FENCED, fenced.closeReason());
            assertEquals(0, older.completedCompactions());
            newer.runUntilIdle();
            assertEquals(1, newer.completedCompactions());
        }
        Manifest manifest = latestManifest(store);
        assertEquals(2, manifest.compactorEpoch());
        assertEquals(2, latestCompactions(store).compactorEpoch());
        assertEquals(model, TreeContents.read(store, PATH, manifest));
    }

    @Test
    void closingAWriterWithAFullL0WaitsForItsCompactorNotForever() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Settings settings = settings().l0MaxSsts(4).compactorOptions(FAST.toBuilder()
                .pollInterval(Duration.ofSeconds(1)).build()).garbageCollectorOptions(null).build();
        SortedMap<String, String> model = new TreeMap<>();
        try (Db db = Db.builder(PATH, store).withSettings(settings).build()) {
            workload(db, new Random(5), 4_000, 1_000, "w", model);
        }
        assertEquals(model, TreeContents.read(store, PATH, latestManifest(store)));
    }

    @Test
    void closingAWriterWithAFullL0WaitsForACompactorInAnotherProcess() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Settings settings = settings().l0MaxSsts(4).manifestPollInterval(Duration.ofMillis(20)).compactorOptions(null)
                .garbageCollectorOptions(null).build();
        SortedMap<String, String> model = new TreeMap<>();
        Db db = Db.builder(PATH, store).withSettings(settings).build();
        workload(db, new Random(6), 3_000, 1_000, "w", model);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(db::close);
        try (Compactor compactor = Compactor.builder(PATH, store).withOptions(FAST).build()) {
            compactor.start();
            closed.get(60, TimeUnit.SECONDS); // the writer's polls see the room the compactor made
        }
        assertEquals(model, TreeContents.read(store, PATH, latestManifest(store)));
    }

    @Test
    void writesDuringCompactionKeepTheirL0AndTheCompactionKeepsItsRun() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        SortedMap<String, String> model = l0Database(store, 4);
        Settings settings = settings().compactorOptions(null).garbageCollectorOptions(null).build();
        try (Db db = Db.builder(PATH, store).withSettings(settings).build();
             Compactor compactor = Compactor.builder(PATH, store).withOptions(FAST).build()) {
            compactor.start();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 50; i++) {
                    String key = "late-" + round + "-" + i;
                    db.put(bytes(key), bytes("v"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                    model.put(key, "v");
                }
                db.flush(FlushType.MEMTABLE);
            }
            compactor.runUntilIdle();
            assertTrue(compactor.completedCompactions() >= 1);
            assertEquals(model, scanAll(db));
        }
        Manifest manifest = latestManifest(store);
        assertTrue(manifest.core().l0().size() < 4, "compacted: " + manifest.core().l0().size() + " L0s left");
        TreeContents.assertRunsDisjoint(manifest);
        assertEquals(model, TreeContents.read(store, PATH, manifest));
    }
}
