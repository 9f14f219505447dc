package io.slatedb.gc;

import io.slatedb.testing.WriteRecordingStore;
import io.slatedb.testing.MutableClock;
import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.FlushType;
import io.slatedb.GarbageCollector;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.Settings;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.format.UlidGenerator;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.reader.GetParams;
import io.slatedb.reader.LsmReader;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.TableStore;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A database built for garbage-collection tests: written by the engine's writer in rounds (open, put,
 * flush to L0, close) on an in-memory store whose object times, like the writer's ULIDs, come from a
 * {@link MutableClock}; compactions are simulated by hand (the compactor is not part of this engine
 * yet): the L0 SSTs are copied under new ULIDs into sorted runs, the manifest is rewritten to list the
 * copies, and a {@code .compactions} file records the compaction.
 */
final class GcFixture implements AutoCloseable {
    static final String PATH = "db";
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration MIN_AGE = Duration.ofHours(1);

    final MutableClock clock = new MutableClock(START);
    final InMemoryObjectStore memory = new InMemoryObjectStore(clock);
    final WriteRecordingStore store = new WriteRecordingStore(memory);
    final DbLayout layout = DbLayout.of(PATH);
    final SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, layout, true);
    final Map<String, String> data = new TreeMap<>();
    private final UlidGenerator ulids = new UlidGenerator(clock, new Random(7));
    private long nextCompactionsId = 1;

    static final Settings SETTINGS = Settings.builder()
            .garbageCollectorOptions(null)
            .compactorOptions(null) // the tests make the .compactions objects they need
            .flushInterval(Duration.ofMillis(5))
            .build();

    /** Every task on (fences too, not dry), objects older than {@link #MIN_AGE}. */
    static GarbageCollectorOptions options() {
        GarbageCollectorDirectoryOptions task = new GarbageCollectorDirectoryOptions(Duration.ofMinutes(10), MIN_AGE, false);
        return GarbageCollectorOptions.builder().manifestOptions(task).walOptions(task).walFenceOptions(task)
                .compactedOptions(task).compactionsOptions(task).build();
    }

    GarbageCollector collector(GarbageCollectorOptions options) {
        return GarbageCollector.builder(PATH, store).withOptions(options).withClock(clock).build();
    }

    GarbageCollector collector() {
        return collector(options());
    }

    Db open() {
        return Db.builder(PATH, store).withSettings(SETTINGS).withClock(clock).build();
    }

    /** One writer session: opens, puts {@code keys} keys named after the round, flushes them to L0, closes. */
    void round(int round, int keys) {
        try (Db db = open()) {
            for (int i = 0; i < keys; i++) {
                String key = String.format("r%02d-k%03d", round, i);
                String value = "v" + round + "-" + i;
                db.put(bytes(key), bytes(value));
                data.put(key, value);
            }
            db.flush(FlushType.MEMTABLE);
        }
        clock.advance(Duration.ofMinutes(1));
    }

    /** One writer session whose rows stay in the WAL: puts, flushes the WAL only, and is abandoned unclosed. */
    void walOnlyRound(int round, int keys) {
        Db db = open();
        for (int i = 0; i < keys; i++) {
            String key = String.format("w%02d-k%03d", round, i);
            String value = "w" + round + "-" + i;
            db.put(bytes(key), bytes(value));
            data.put(key, value);
        }
        db.flush(FlushType.WAL);
        clock.advance(Duration.ofMinutes(1));
        // Not closed: the next writer fences it and replays its WAL. Closing now would flush it to L0.
        abandoned.add(db);
    }

    private final List<Db> abandoned = new ArrayList<>();

    /**
     * A simulated compaction of every L0 SST into sorted runs (one run per SST, so none overlap): the
     * compaction is recorded in a new {@code .compactions} file first (its ULID is its start time), the
     * SSTs are copied under new ULIDs, and the manifest lists the copies in place of the L0 SSTs.
     *
     * @return the ids of the L0 SSTs the latest manifest no longer references
     */
    List<Ulid> compactL0() {
        Ulid compactionId = ulids.next();
        writeCompactions(compactionId);
        StoredObject<Manifest> stored = Futures.join(StoredObject.load(manifests, "manifest"));
        Manifest current = stored.current().value();
        List<SstView> l0 = current.core().l0(); // newest first
        long nextRunId = current.core().compacted().stream().mapToLong(SortedRun::id).max().orElse(-1) + l0.size();
        List<SortedRun> runs = new ArrayList<>();
        List<Ulid> replaced = new ArrayList<>();
        for (SstView view : l0) {
            Ulid copyId = ulids.next();
            Futures.join(store.copy(layout.compactedSstPath(view.sst().id()), layout.compactedSstPath(copyId)));
            runs.add(new SortedRun(nextRunId--, List.of(SstView.of(new CompactedSst(copyId, view.sst().info(),
                    view.sst().formatVersion())))));
            replaced.add(view.sst().id());
        }
        runs.addAll(current.core().compacted());
        LsmTree tree = new LsmTree(l0.get(0).id(), l0.get(0).sst().id(), List.of(), runs);
        Futures.join(stored.update(current.withCore(current.core().toBuilder().tree(tree).build())));
        clock.advance(Duration.ofMinutes(1));
        return replaced;
    }

    /** Writes the next {@code .compactions} file, listing compactions with these ids. */
    void writeCompactions(Ulid... compactionIds) {
        Futures.join(store.put(layout.compactionsPath(nextCompactionsId++), compactionsFile(compactionIds),
                PutOptions.CREATE));
    }

    /** Writes the next {@code .compactions} file with these bytes. */
    void writeRawCompactions(byte[] bytes) {
        Futures.join(store.put(layout.compactionsPath(nextCompactionsId++), bytes, PutOptions.CREATE));
    }

    /**
     * The bytes of a {@code .compactions} file (format version 2) listing completed tiered compactions
     * with these ids, built field by field from SlateDB's {@code compactor.fbs}.
     */
    static byte[] compactionsFile(Ulid... compactionIds) {
        FlatBufferBuilder builder = new FlatBufferBuilder();
        int[] compactions = new int[compactionIds.length];
        for (int i = 0; i < compactionIds.length; i++) {
            int id = io.slatedb.format.fb.Ulid.createUlid(builder, compactionIds[i].high(), compactionIds[i].low());
            builder.startTable(5); // TieredCompactionSpec, every field absent
            int spec = builder.endTable();
            builder.startTable(7); // Compaction
            builder.addOffset(0, id, 0);
            builder.addByte(1, (byte) 1, 0); // spec_type: TieredCompactionSpec
            builder.addOffset(2, spec, 0);
            builder.addByte(3, (byte) 2, 0); // status: Completed
            compactions[i] = builder.endTable();
        }
        int vector = builder.createVectorOfTables(compactions);
        builder.startTable(2); // CompactionsV1
        builder.addLong(0, 1L, 0L);
        builder.addOffset(1, vector, 0);
        builder.finish(builder.endTable());
        byte[] flatBuffer = builder.sizedByteArray();
        byte[] file = new byte[flatBuffer.length + 2];
        file[1] = 2;
        System.arraycopy(flatBuffer, 0, file, 2, flatBuffer.length);
        return file;
    }

    /** Adds a checkpoint of manifest {@code manifestId} to the latest manifest; 0 seconds = never expires. */
    UUID addCheckpoint(long manifestId, long expireTimeSeconds) {
        UUID id = UUID.randomUUID();
        StoredObject<Manifest> stored = Futures.join(StoredObject.load(manifests, "manifest"));
        Futures.join(stored.maybeApplyUpdate(latest -> {
            Manifest m = latest.value();
            List<Checkpoint> checkpoints = new ArrayList<>(m.core().checkpoints());
            checkpoints.add(new Checkpoint(id, manifestId, expireTimeSeconds, clock.instant().getEpochSecond(), null));
            return Optional.of(m.withCore(m.core().toBuilder().checkpoints(checkpoints).build()));
        }));
        return id;
    }

    Versioned<Manifest> latest() {
        return Futures.join(manifests.readLatest()).orElseThrow();
    }

    Manifest manifest(long id) {
        return Futures.join(manifests.read(id)).orElseThrow().value();
    }

    /** Every object path in the store, sorted. */
    TreeSet<String> objects() {
        TreeSet<String> paths = new TreeSet<>();
        for (ObjectMetadata object : Futures.join(memory.listAll(""))) {
            paths.add(object.path());
        }
        return paths;
    }

    TreeSet<String> objects(String dir) {
        TreeSet<String> paths = new TreeSet<>();
        objects().stream().filter(p -> p.startsWith(PATH + "/" + dir + "/")).forEach(paths::add);
        return paths;
    }

    /** Opens the database as its writer and checks it holds exactly the data written. */
    void assertAllDataReadable() {
        try (Db db = open()) {
            for (Map.Entry<String, String> entry : data.entrySet()) {
                assertArrayEquals(bytes(entry.getValue()), db.get(bytes(entry.getKey())), entry.getKey());
            }
            int count = 0;
            try (DbIterator it = db.scan(null, null)) {
                while (it.hasNext()) {
                    it.next();
                    count++;
                }
            }
            assertEquals(data.size(), count);
        }
    }

    /** Reads {@code keys} from the SSTs of manifest {@code manifestId} alone (what a checkpoint reader sees). */
    void assertReadableAt(long manifestId, Map<String, String> keys) {
        Manifest manifest = manifest(manifestId);
        TableStore tables = new TableStore(store, PATH);
        LsmReader reader = new LsmReader(tables);
        ReadView view = ReadView.of(List.of(), manifest.core().tree(), tables.paths(manifest.externalDbs()));
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            RowEntry row = Futures.join(reader.get(view, bytes(entry.getKey()), -1L, GetParams.DEFAULTS));
            assertNotNull(row, entry.getKey());
            assertArrayEquals(bytes(entry.getValue()), row.value(), entry.getKey());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (Db db : abandoned) {
            try {
                db.close();
            } catch (io.slatedb.SlateDbException fenced) {
                // expected: a later writer fenced it, so its closing flush could not be published
            }
        }
        memory.close();
    }
}
