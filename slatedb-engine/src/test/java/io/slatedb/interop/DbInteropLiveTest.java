package io.slatedb.interop;

import static io.slatedb.interop.RowAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.CloseReason;
import io.slatedb.CompactorOptions;
import io.slatedb.Compactor;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.ErrorKind;
import io.slatedb.FlushType;
import io.slatedb.KeyValue;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import io.slatedb.WriteOptions;
import io.slatedb.CompressionCodec;
import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.interop.RustResults.WriteResult;
import io.slatedb.interop.RustWriteJob.Ttl;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interoperability at the database level, both ways, between this project's writer ({@link Db}) and the
 * Rust SlateDB 0.12.1 (through {@code @slatedb/uniffi}), on one local directory store:
 *
 * <ul>
 *   <li>A database written by our {@link Db} (several memtable flushes to L0, overwrites, deletes, batches,
 *       TTLs, values from 0 bytes to 1 MiB, each compression codec, and a tail left only in the WAL by a
 *       writer that flushed the WAL and was then abandoned without closing) opens in the Rust library:
 *       its {@code DbReader} and a Rust writer (which fences ours and replays our WAL) read every key and
 *       value exactly; our abandoned writer then finds itself fenced. The Rust writer writes more, flushes
 *       and shuts down, and our {@link Db} reopens the database and sees everything.</li>
 *   <li>A database written by the Rust library (two memtable flushes, then a tail left only in its WAL:
 *       writes that waited for durability, and a process that exited without closing) opens here as a
 *       writer: it fences, replays the WAL tail and reads every key and value exactly; it keeps writing,
 *       flushes and closes, and the Rust library reopens the database and sees our writes.</li>
 *   <li>The same writes, among them puts that expired before their memtable flush, made by each library
 *       read the same afterwards: SlateDB's flush writes such puts as tombstones, and so must ours.</li>
 * </ul>
 * Readers are compared with the versions written (key, value, seq, create_ts, expire_ts), as
 * {@link LsmReference#visible} derives them: a full scan and a point read of every key of the pool plus
 * never-written ones.
 */
@RequiresNode
class DbInteropLiveTest {

    private static final String DB = "db";
    private static final long SEED = 0x0db1_0012_0001L;
    private static final int MIN_FILTER_KEYS = 2;

    /**
     * Our writers: small blocks and filters on every SST, so reads go through many blocks and filters; no
     * embedded compactor, so the L0 SSTs the tests count stay in L0 until a test compacts them.
     */
    private static Settings ourSettings(CompressionCodec codec) {
        return Settings.builder()
                .compressionCodec(codec)
                .sstBlockSize(1024)
                .minFilterKeys(MIN_FILTER_KEYS)
                .flushInterval(Duration.ofMillis(10))
                .compactorOptions(null)
                .build();
    }

    /** A Rust writer with the same SST options, no compactor and no garbage collector. */
    private static RustWriteJob rustJob(Path store, CompressionCodec codec) {
        return RustWriteJob.create(store, DB)
                .compression(codec)
                .sstBlockSize("Block1Kib")
                .setting("min_filter_keys", MIN_FILTER_KEYS)
                .setting("compactor_options", null)
                .setting("garbage_collector_options", null);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompressionCodec.class)
    @Timeout(60)
    void rustOpensWhatOurDbWroteAndOurDbSeesWhatRustAdded(CompressionCodec codec, @TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        Settings settings = ourSettings(codec);
        DbWorkload ours = new DbWorkload(SEED + codec.ordinal());
        List<List<Integer>> sizes = requiredSizesPerPhase(new Random(SEED + codec.ordinal()), 5);
        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            // First writer: three L0 SSTs (two explicit memtable flushes, then close).
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                ours.phase(db, 12, sizes.get(0), WriteOptions.NO_AWAIT);
                db.flush(FlushType.MEMTABLE);
                ours.phase(db, 12, sizes.get(1), WriteOptions.NO_AWAIT);
                db.flush(FlushType.MEMTABLE);
                ours.phase(db, 12, sizes.get(2), WriteOptions.NO_AWAIT);
            }
            // Second writer: a fourth L0 SST, then a tail that reaches the WAL only, and no close: writes
            // made durable by flush(WAL), then writes that each waited for a timed WAL flush.
            Db abandoned = Db.builder(DB, store).withSettings(settings).build();
            try {
                ours.phase(abandoned, 10, sizes.get(3), WriteOptions.NO_AWAIT);
                abandoned.flush(FlushType.MEMTABLE);
                long lastL0Seq = abandoned.lastSeq();
                ours.phase(abandoned, 10, sizes.get(4), WriteOptions.NO_AWAIT);
                abandoned.flush(FlushType.WAL);
                ours.phase(abandoned, 5, List.of(), WriteOptions.DEFAULT);
                assertEquals(abandoned.lastSeq(), abandoned.durableSeq(), "the whole tail is durable");
                try (DecodedDatabase decoded = DecodedDatabase.open(dir, DB)) {
                    ManifestCore core = decoded.latestManifest().manifest().core();
                    assertEquals(4, core.l0().size(), "four memtable flushes to L0");
                    assertEquals(lastL0Seq, core.lastL0Seq());
                    assertTrue(lastL0Seq < abandoned.durableSeq(), "a tail in the WAL only");
                }

                for (int size : SeededWorkload.REQUIRED_VALUE_SIZES) {
                    assertTrue(ours.writes().stream().anyMatch(w -> w.value() != null && w.value().length == size),
                            "a value of " + size + " bytes");
                }
                List<Row> expected = visible(ours.writes());
                List<byte[]> keys = ours.keysToRead();
                // The Rust DbReader (replays our WAL tail) and a Rust writer (fences ours, replays it).
                assertSameRows(expected, rust.read(dir, DB).entries(), "Rust DbReader scan of our database");
                ReadResult asWriter = rust.readAsWriter(dir, DB, keys);
                assertSameRows(expected, asWriter.entries(), "Rust writer scan of our database");
                assertSameRows(expectedGets(expected, keys), asWriter.gets(), "Rust writer point reads");

                // Rust's fence stops our abandoned writer: its next WAL file would take the fence's id.
                SlateDbException fenced = assertThrows(SlateDbException.class, () -> {
                    abandoned.put(DbWorkload.utf8("zombie"), DbWorkload.utf8("lost"), PutOptions.DEFAULT,
                            WriteOptions.NO_AWAIT);
                    abandoned.flush(FlushType.WAL);
                });
                assertEquals(ErrorKind.CLOSED, fenced.kind(), fenced.toString());
                assertEquals(CloseReason.FENCED, fenced.closeReason(), fenced.toString());
            } finally {
                abandoned.close();
            }

            // The Rust writer extends the database: overwrites and deletes of our keys, a 1 MiB value, an
            // L0 flush (which takes our replayed WAL tail with it), and a tail of its own in its WAL.
            RustWriteJob more = rustJob(dir, codec)
                    .put(SeededWorkload.key(0), DbWorkload.utf8("rust-0"))
                    .delete(SeededWorkload.key(1))
                    .put(DbWorkload.utf8("rust-big"), ValuePattern.bytes(1 << 20, 5))
                    .batch(b -> b.put(SeededWorkload.key(2), DbWorkload.utf8("rust-2")).delete(SeededWorkload.key(3))
                            .put("rust-empty", ""))
                    .flushWal()
                    .put(SeededWorkload.key(4), DbWorkload.utf8("rust-ttl"), Ttl.expireAfter(Duration.ofHours(3)))
                    .flushMemtable()
                    .put(SeededWorkload.key(5), DbWorkload.utf8("rust-wal-tail"))
                    .delete(SeededWorkload.key(6));
            WriteResult written = rust.write(more);
            List<RowEntry> everything = new ArrayList<>(ours.writes());
            List<RowEntry> rustWrites = WriteLog.fromJob(more, written).writes();
            assertTrue(rustWrites.get(0).seq() > ours.writes().get(ours.writes().size() - 1).seq(),
                    "Rust continues after our seqs");
            everything.addAll(rustWrites);

            // Our writer reopens it (fencing Rust's, replaying Rust's WAL tail) and sees everything.
            List<Row> expected = visible(everything);
            List<byte[]> keys = new ArrayList<>(ours.keysToRead());
            keys.add(DbWorkload.utf8("rust-big"));
            keys.add(DbWorkload.utf8("rust-empty"));
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                assertSameRows(expected, scan(db), "our scan after the Rust writes");
                assertSameRows(expectedGets(expected, keys), gets(db, keys), "our point reads after the Rust writes");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompressionCodec.class)
    @Timeout(60)
    void ourDbOpensWhatRustWroteReplaysItsWalTailAndRustSeesOurWrites(CompressionCodec codec, @TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        // Rust: two memtable flushes and a WAL-only phase (SeededWorkload), made durable by a WAL flush,
        // then writes that each wait for a timed WAL flush, and an exit without closing.
        RustWriteJob job = rustJob(dir, codec).setting("flush_interval", "10ms");
        SeededWorkload.appendTo(job, SEED + 100 + codec.ordinal());
        job.flushWal().awaitDurable(true)
                .put(SeededWorkload.key(7), DbWorkload.utf8("durable-tail-7"))
                .delete(SeededWorkload.key(8))
                .batch(b -> b.put(SeededWorkload.key(9), DbWorkload.utf8("durable-tail-9"))
                        .put("durable-tail-new", "x"))
                .put(DbWorkload.utf8("durable-tail-big"), ValuePattern.bytes(200_000, 1))
                .abandon();
        WriteResult written = rust.write(job);
        WriteLog log = WriteLog.fromJob(job, written);
        long lastWriteSeq = log.writes().get(log.writes().size() - 1).seq();
        assertEquals(lastWriteSeq, written.durableSeq(), "every Rust write was durable before the exit");
        assertEquals(log.lastFlushedSeq(), written.manifest().path("lastL0Seq").asLong());
        assertTrue(log.lastFlushedSeq() < lastWriteSeq, "a tail in the WAL only");

        // What any reader must see: the two L0 SSTs (an expired put became a tombstone) and the WAL tail.
        long now = System.currentTimeMillis();
        List<RowEntry> rustRows = new ArrayList<>();
        for (List<RowEntry> window : log.memtableFlushes()) {
            rustRows.addAll(LsmReference.flush(window, now));
        }
        log.writes().stream().filter(w -> w.seq() > log.lastFlushedSeq()).forEach(rustRows::add);
        List<byte[]> keys = new ArrayList<>(new DbWorkload(0).keysToRead());
        keys.add(SeededWorkload.EXPIRED_KEY);
        keys.add(DbWorkload.utf8("durable-tail-new"));
        keys.add(DbWorkload.utf8("durable-tail-big"));
        keys.sort(Arrays::compareUnsigned);

        Settings settings = ourSettings(codec);
        DbWorkload ours = new DbWorkload(SEED + 200 + codec.ordinal());
        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                List<Row> expected = visible(rustRows);
                assertSameRows(expected, scan(db), "our writer's scan of the Rust database");
                assertSameRows(expectedGets(expected, keys), gets(db, keys), "our writer's point reads");
                assertEquals(lastWriteSeq, db.lastSeq(), "replayed up to Rust's last seq");

                // We keep writing: overwrites and deletes of Rust's keys, an L0 flush, and more that the
                // close flushes.
                ours.phase(db, 15, List.of(0, 1 << 20), WriteOptions.NO_AWAIT);
                db.flush(FlushType.MEMTABLE);
                ours.phase(db, 15, List.of(64 * 1024), WriteOptions.NO_AWAIT);
                assertTrue(ours.writes().get(0).seq() > lastWriteSeq, "our seqs continue after Rust's");
            }
        }
        try (DecodedDatabase decoded = DecodedDatabase.open(dir, DB)) {
            ManifestCore core = decoded.latestManifest().manifest().core();
            assertEquals(log.memtableFlushes().size() + 2, core.l0().size(), "Rust's L0 SSTs, then our two");
            assertEquals(ours.writes().get(ours.writes().size() - 1).seq(), core.lastL0Seq(), "our close flushed");
        }

        List<RowEntry> everything = new ArrayList<>(rustRows);
        everything.addAll(ours.writes());
        List<Row> expected = visible(everything);
        assertSameRows(expected, rust.read(dir, DB).entries(), "Rust DbReader scan after our writes");
        ReadResult asWriter = rust.readAsWriter(dir, DB, keys);
        assertSameRows(expected, asWriter.entries(), "Rust writer scan after our writes");
        assertSameRows(expectedGets(expected, keys), asWriter.gets(), "Rust writer point reads after our writes");
    }

    /**
     * Compaction both ways: SlateDB's compactor turns the Rust writer's L0 SSTs into a sorted run (the
     * manifest then also carries {@code l0_last_compacted} and the compactor's checkpoint); our {@link Db}
     * opens that database as writer, reads every key and value, writes and flushes two L0 SSTs of its own
     * and closes; SlateDB's compactor then compacts our L0 SSTs, and our {@link Db} reads the result.
     */
    @Test
    @Timeout(60)
    void ourDbWorksOnADatabaseSlateDbsCompactorCompactsAndItsCompactorCompactsOurs(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        CompressionCodec codec = CompressionCodec.LZ4;
        RustWriteJob job = compactingRustJob(dir, codec);
        SeededWorkload.appendTo(job, SEED + 300);
        job.awaitCompaction(1, 0, Duration.ofSeconds(20));
        WriteLog log = WriteLog.fromJob(job, rust.write(job));
        List<RowEntry> everything = new ArrayList<>();
        for (List<RowEntry> window : log.memtableFlushes()) {
            everything.addAll(LsmReference.flush(window, System.currentTimeMillis()));
        }
        log.writes().stream().filter(w -> w.seq() > log.lastFlushedSeq()).forEach(everything::add);
        List<byte[]> keys = new DbWorkload(0).keysToRead();

        DbWorkload ours = new DbWorkload(SEED + 301);
        Settings settings = ourSettings(codec);
        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                ManifestCore core = decodedCore(dir);
                assertTrue(!core.compacted().isEmpty() && core.l0().isEmpty(),
                        "SlateDB compacted its L0: " + core);
                List<Row> expected = visible(everything);
                assertSameRows(expected, scan(db), "our scan of the compacted database");
                assertSameRows(expectedGets(expected, keys), gets(db, keys), "our point reads");
                ours.phase(db, 15, List.of(100), WriteOptions.NO_AWAIT);
                db.flush(FlushType.MEMTABLE);
                ours.phase(db, 15, List.of(4096), WriteOptions.NO_AWAIT);
            }
            everything.addAll(ours.writes());
            assertEquals(2, decodedCore(dir).l0().size(), "our two L0 SSTs");

            rust.write(compactingRustJob(dir, codec).awaitCompaction(1, 0, Duration.ofSeconds(20)));
            ManifestCore compacted = decodedCore(dir);
            assertTrue(compacted.l0().isEmpty(), "SlateDB compacted our L0 SSTs: " + compacted);
            List<Row> expected = visible(everything);
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                assertSameRows(expected, scan(db), "our scan after SlateDB compacted our L0 SSTs");
                assertSameRows(expectedGets(expected, keys), gets(db, keys), "our point reads after it");
            }
            assertSameRows(expected, rust.read(dir, DB).entries(), "Rust DbReader scan after it");
        }
    }

    /**
     * Our compactor's work in SlateDB 0.12.1: a database our {@link Db} wrote as seven L0 SSTs, compacted by
     * our {@link Compactor} into sorted runs of small SSTs, reads the same in the Rust {@code DbReader} and
     * a Rust writer, key by key. SlateDB's own compactor then takes over from ours (it claims the next
     * compactor epoch on our manifest and our {@code .compactions} object) and compacts two more L0 SSTs
     * of ours, and both libraries still read everything.
     */
    @Test
    @Timeout(120)
    void slateDbReadsEveryKeyOfADatabaseOurCompactorCompactedAndItsCompactorTakesOver(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        CompressionCodec codec = CompressionCodec.ZSTD;
        Settings settings = ourSettings(codec);
        CompactorOptions compaction = CompactorOptions.builder().maxSstSize(4 * 1024).build();
        DbWorkload ours = new DbWorkload(SEED + 400);
        List<byte[]> keys = ours.keysToRead();
        try (ObjectStore store = new LocalDirectoryObjectStore(dir)) {
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                for (int i = 0; i < 7; i++) { // under l0_max_ssts (8): no compactor runs yet
                    ours.phase(db, 20, List.of(), WriteOptions.NO_AWAIT);
                    db.flush(FlushType.MEMTABLE);
                }
            }
            try (Compactor compactor = Compactor.builder(DB, store).withOptions(compaction).withSettings(settings)
                    .build()) {
                compactor.runUntilIdle();
            }
            ManifestCore core = decodedCore(dir);
            assertTrue(core.l0().isEmpty() && !core.compacted().isEmpty(), "our compactor compacted L0: " + core);
            assertTrue(core.compacted().stream().anyMatch(run -> run.ssts().size() > 1), "runs of several SSTs");
            List<Row> expected = visible(ours.writes());
            assertSameRows(expected, rust.read(dir, DB).entries(), "Rust DbReader scan of our compacted database");
            ReadResult asWriter = rust.readAsWriter(dir, DB, keys);
            assertSameRows(expected, asWriter.entries(), "Rust writer scan of our compacted database");
            assertSameRows(expectedGets(expected, keys), asWriter.gets(), "Rust writer point reads");

            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                for (int i = 0; i < 2; i++) {
                    ours.phase(db, 20, List.of(), WriteOptions.NO_AWAIT);
                    db.flush(FlushType.MEMTABLE);
                }
            }
            long ourEpoch = latestCompactorEpoch(dir);
            rust.write(compactingRustJob(dir, codec).awaitCompaction(1, 0, Duration.ofSeconds(20)));
            assertTrue(decodedCore(dir).l0().isEmpty(), "SlateDB compacted our new L0 SSTs");
            assertTrue(latestCompactorEpoch(dir) > ourEpoch, "SlateDB's compactor took the next epoch");
            expected = visible(ours.writes());
            assertSameRows(expected, rust.read(dir, DB).entries(), "Rust DbReader scan after SlateDB compacted");
            try (Db db = Db.builder(DB, store).withSettings(settings).build()) {
                assertSameRows(expected, scan(db), "our scan after SlateDB compacted");
                assertSameRows(expectedGets(expected, keys), gets(db, keys), "our point reads after it");
            }
        }
    }

    private static long latestCompactorEpoch(Path dir) {
        try (DecodedDatabase decoded = DecodedDatabase.open(dir, DB)) {
            return decoded.latestManifest().manifest().compactorEpoch();
        }
    }

    /** A Rust writer whose compactor merges any two sources at once and polls every 20 ms. */
    private static RustWriteJob compactingRustJob(Path dir, CompressionCodec codec) {
        return RustWriteJob.create(dir, DB)
                .compression(codec)
                .sstBlockSize("Block1Kib")
                .setting("min_filter_keys", MIN_FILTER_KEYS)
                .setting("garbage_collector_options", null)
                .setting("compactor_options.poll_interval", "20ms")
                .setting("compactor_options.scheduler_options", Map.of("min_compaction_sources", "2",
                        "max_compaction_sources", "8", "include_size_threshold", "0.01"));
    }

    private static ManifestCore decodedCore(Path dir) {
        try (DecodedDatabase decoded = DecodedDatabase.open(dir, DB)) {
            return decoded.latestManifest().manifest().core();
        }
    }

    /**
     * The same writes made by each library, then flushed to L0: a put that has expired by its memtable
     * flush, one that expires in an hour, one without expiry, and an expired put under a key with an older
     * live version. SlateDB 0.12.1 writes the expired puts into L0 as tombstones (reads before the flush
     * still return them), so afterwards both keys are deleted; the database our {@link Db} flushed must read
     * the same, through the Rust library and through ours.
     */
    @Test
    @Timeout(30)
    void aValueExpiredBeforeItsL0FlushIsDeletedByTheFlushAsInSlateDb(@TempDir Path dir) {
        RustSlateDb rust = RustSlateDb.get();
        Path rustDir = dir.resolve("rust");
        Path oursDir = dir.resolve("ours");
        byte[] expired = DbWorkload.utf8("expired");
        byte[] shadowed = DbWorkload.utf8("shadowed");
        long past = 1_000;
        rust.write(rustJob(rustDir, CompressionCodec.NONE)
                .put(shadowed, DbWorkload.utf8("old"))
                .flushMemtable()
                .put(expired, DbWorkload.utf8("gone"), Ttl.expireAt(past))
                .put(DbWorkload.utf8("hour"), DbWorkload.utf8("kept"), Ttl.expireAfter(Duration.ofHours(1)))
                .put("plain", "kept")
                .put(shadowed, DbWorkload.utf8("gone"), Ttl.expireAt(past))
                .flushMemtable());
        try (ObjectStore store = new LocalDirectoryObjectStore(oursDir);
             Db db = Db.builder(DB, store).withSettings(ourSettings(CompressionCodec.NONE)).build()) {
            db.put(shadowed, DbWorkload.utf8("old"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            db.flush(FlushType.MEMTABLE);
            PutOptions expiredLongAgo = new PutOptions(io.slatedb.Ttl.expireAt(Instant.ofEpochMilli(past)));
            db.put(expired, DbWorkload.utf8("gone"), expiredLongAgo, WriteOptions.NO_AWAIT);
            db.put(DbWorkload.utf8("hour"), DbWorkload.utf8("kept"),
                    new PutOptions(io.slatedb.Ttl.expireAfter(Duration.ofHours(1))), WriteOptions.NO_AWAIT);
            db.put(DbWorkload.utf8("plain"), DbWorkload.utf8("kept"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
            db.put(shadowed, DbWorkload.utf8("gone"), expiredLongAgo, WriteOptions.NO_AWAIT);
            assertEquals("gone", new String(db.get(expired), StandardCharsets.UTF_8),
                    "reads do not hide expired values");
            db.flush(FlushType.MEMTABLE);
        }
        List<String> rustView = keysAndValues(rust.read(rustDir, DB).entries());
        assertEquals(List.of("hour=kept", "plain=kept"), rustView, "SlateDB 0.12.1 reading its own database");
        assertEquals(rustView, keysAndValues(rust.read(oursDir, DB).entries()), "SlateDB 0.12.1 reading ours");
        try (ObjectStore store = new LocalDirectoryObjectStore(oursDir);
             Db db = Db.builder(DB, store).withSettings(ourSettings(CompressionCodec.NONE)).build()) {
            assertEquals(rustView, keysAndValues(scan(db)), "our writer reading ours");
        }
    }

    private static List<String> keysAndValues(List<Row> rows) {
        return rows.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8) + "="
                + new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** {@link SeededWorkload#REQUIRED_VALUE_SIZES} (0 bytes to 1 MiB) shuffled into {@code phases} lists. */
    private static List<List<Integer>> requiredSizesPerPhase(Random random, int phases) {
        List<Integer> sizes = new ArrayList<>();
        for (int size : SeededWorkload.REQUIRED_VALUE_SIZES) {
            sizes.add(size);
        }
        Collections.shuffle(sizes, random);
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < phases; i++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < sizes.size(); i++) {
            out.get(i % phases).add(sizes.get(i));
        }
        return out;
    }

    private static List<Row> visible(List<RowEntry> writes) {
        return InteropRows.toReadRows(LsmReference.visible(List.of(writes)));
    }

    /** What point reads of {@code keys} return: the visible row, or a row without a value. */
    private static List<Row> expectedGets(List<Row> visible, List<byte[]> keys) {
        Map<byte[], Row> byKey = new TreeMap<>(Arrays::compareUnsigned);
        visible.forEach(r -> byKey.put(r.key(), r));
        return keys.stream().map(k -> byKey.getOrDefault(k, new Row(k, null, null, null, null))).toList();
    }

    private static List<Row> scan(Db db) {
        List<Row> rows = new ArrayList<>();
        try (DbIterator it = db.scan(null, null)) {
            it.forEachRemaining(kv -> rows.add(row(kv)));
        }
        return rows;
    }

    private static List<Row> gets(Db db, List<byte[]> keys) {
        return keys.stream().map(k -> {
            KeyValue kv = db.getKeyValue(k);
            return kv == null ? new Row(k, null, null, null, null) : row(kv);
        }).toList();
    }

    private static Row row(KeyValue kv) {
        return new Row(kv.key(), kv.value(), kv.seq(), kv.createTs(),
                kv.expireTs().isPresent() ? kv.expireTs().getAsLong() : null);
    }
}
