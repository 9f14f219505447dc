package io.slatedb.interop;

import static io.slatedb.interop.RowAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.interop.DecodedDatabase.ManifestObject;
import io.slatedb.interop.DecodedDatabase.WalObject;
import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.Row;
import io.slatedb.interop.RustResults.WalFileDump;
import io.slatedb.interop.RustResults.WriteResult;
import io.slatedb.interop.RustWriteJob.Ttl;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database written by this project's code only ({@link JavaWrittenDatabase}: a manifest, a sorted run and
 * two L0 SSTs with bloom filters, WAL SSTs above and below {@code replay_after_wal_id}), one per codec, read
 * by the Rust SlateDB 0.12.1: its {@code WalReader} returns exactly our WAL rows, a {@code DbReader} scan
 * and a writer's scan return exactly the newest version of every key, and the writer's point reads of every
 * key (through our bloom filters) find exactly that version. The Rust writer then reopens the database and
 * writes, flushes and shuts down, and our readers decode what it made of our database: its manifests (which
 * carry our SST entries), its WAL objects and its new L0 SST.
 */
@RequiresNode
@Timeout(180)
class JavaWrittenDatabaseLiveTest {

    private static final String DB = "db";
    private static final long SEED = 0x0012_1a7a_0001L;
    private static final int RUST_MIN_FILTER_KEYS = 2;

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompressionCodec.class)
    void rustReadsTheDatabaseWeWroteAndWeReadWhatItAddsToIt(CompressionCodec codec, @TempDir Path store)
            throws Exception {
        RustSlateDb rust = RustSlateDb.get();
        JavaWrittenDatabase ours = JavaWrittenDatabase.write(store, DB, codec, SEED + codec.ordinal());
        List<Row> model = InteropRows.toReadRows(LsmReference.visible(List.of(ours.writes())));
        assertOurSstsHaveFiltersAndManyBlocks(store, ours);

        // SlateDB's WalReader: our WAL objects, fences included, row for row.
        List<WalFileDump> dump = rust.walDump(store, DB);
        assertEquals(JavaWrittenDatabase.WAL_OBJECTS, dump.size());
        for (int i = 0; i < dump.size(); i++) {
            assertEquals(i + 1, dump.get(i).id());
            assertEquals(ours.walObjectBytes().get(i).length, dump.get(i).sizeBytes());
            assertSameRows(ours.walObjects().get(i), dump.get(i).rows().stream().map(InteropRows::fromWalRow).toList(),
                    "WalReader, WAL " + (i + 1));
        }

        // A DbReader (WAL replayed after replay_after_wal_id) and a writer see exactly the newest versions.
        assertSameRows(model, rust.read(store, DB).entries(), "DbReader scan");
        List<byte[]> keys = ours.keysToRead();
        ReadResult asWriter = rust.readAsWriter(store, DB, keys);
        assertSameRows(model, asWriter.entries(), "writer scan");
        Map<byte[], Row> byKey = new TreeMap<>(Arrays::compareUnsigned);
        model.forEach(r -> byKey.put(r.key(), r));
        List<Row> expectedGets = keys.stream()
                .map(k -> byKey.getOrDefault(k, new Row(k, null, null, null, null))).toList();
        assertSameRows(expectedGets, asWriter.gets(), "writer point reads of every key (through our filters)");

        // The Rust writer reopens our database, replays our WAL, writes, flushes an L0 SST and shuts down.
        RustWriteJob more = RustWriteJob.create(store, DB)
                .compression(codec)
                .sstBlockSize("Block1Kib")
                .setting("min_filter_keys", RUST_MIN_FILTER_KEYS)
                .setting("compactor_options", null)
                .setting("garbage_collector_options", null)
                .put(JavaWrittenDatabase.key(0), utf8("rust-0"))
                .delete(JavaWrittenDatabase.key(10))
                .put(utf8("rust-new-1"), ValuePattern.bytes(100, 3))
                .batch(b -> b.put(JavaWrittenDatabase.key(4), utf8("back")).delete(JavaWrittenDatabase.key(2))
                        .put("rust-new-2", ""))
                .flushWal()
                .put(JavaWrittenDatabase.key(JavaWrittenDatabase.KEYS - 1), utf8("ttl"),
                        Ttl.expireAfter(Duration.ofHours(2)))
                .delete(JavaWrittenDatabase.key(1))
                .flushMemtable()
                .put("rust-wal-only", "tail");
        WriteResult written = rust.write(more);
        WriteLog log = WriteLog.fromJob(more, written);
        long ourLastSeq = ours.writes().get(ours.writes().size() - 1).seq();
        assertTrue(log.writes().get(0).seq() > ourLastSeq, "Rust continues after the seqs it replayed");
        List<RowEntry> everything = new ArrayList<>(ours.writes());
        everything.addAll(log.writes());

        try (DecodedDatabase db = DecodedDatabase.open(store, DB)) {
            List<ManifestObject> manifests = db.manifests();
            assertArrayEquals(ManifestCodec.encode(ours.manifest()), manifests.get(0).bytes());
            for (ManifestObject m : manifests) {
                assertArrayEquals(m.bytes(), ManifestCodec.encode(m.manifest()), "manifest " + m.id());
            }
            ManifestObject latestObject = manifests.get(manifests.size() - 1);
            assertEquals(written.manifest().path("id").asLong(), latestObject.id());
            Manifest latest = latestObject.manifest();
            ManifestCore core = latest.core();
            ManifestCore ourCore = ours.manifest().core();
            // Our epoch 1, the reading writer's 2, the writing writer's 3.
            assertEquals(3, latest.writerEpoch());
            assertEquals(ourCore.compacted(), core.compacted(), "our sorted run, entries unchanged");
            assertEquals(ourCore.l0().size() + 1, core.l0().size());
            assertEquals(ourCore.l0(), core.l0().subList(1, core.l0().size()), "our L0 entries unchanged");
            assertEquals(log.lastFlushedSeq(), core.lastL0Seq());

            // WAL: ours untouched, the reading writer's fence, then the writing job's objects.
            List<WalObject> wal = db.walObjects();
            int firstJobWal = wal.size() - log.walObjects().size();
            for (int i = 0; i < wal.size(); i++) {
                assertEquals(i + 1, wal.get(i).id());
                assertNotNull(wal.get(i).info(), "every WAL object is an SST");
                if (i < JavaWrittenDatabase.WAL_OBJECTS) {
                    assertArrayEquals(ours.walObjectBytes().get(i), Files.readAllBytes(
                            store.resolve(db.layout().walSstPath(i + 1))));
                } else if (i < firstJobWal) {
                    assertTrue(wal.get(i).rows().isEmpty(), "the reading writer's fence");
                } else {
                    assertSameRows(log.walObjects().get(i - firstJobWal), wal.get(i).rows(), "WAL " + (i + 1));
                }
            }
            assertEquals(JavaWrittenDatabase.WAL_OBJECTS + 1, firstJobWal, "one fence per writer");
            assertEquals(firstJobWal + log.replayAfterWalId(), core.replayAfterWalId());

            // The new L0 SST: our replayed WAL rows and the new writes, folded by key.
            List<RowEntry> flushed = new ArrayList<>(ours.unflushedWrites());
            flushed.addAll(log.memtableFlushes().get(0));
            Ulid newL0 = core.l0().get(0).sst().id();
            SstReader reader = db.compacted(newL0);
            List<RowEntry> rows = DecodedDatabase.rows(reader);
            assertSameRows(LsmReference.flush(flushed, newL0.timestampMillis()), rows, "Rust's L0 " + newL0);
            SstChecks.assertCompactedSst(reader, rows, codec, RUST_MIN_FILTER_KEYS);
            assertEquals(reader.info(), core.l0().get(0).sst().info());
            for (SstView view : core.l0()) {
                assertEquals(db.compacted(view.sst().id()).info(), view.sst().info());
            }

            // Merged, our decoding of the whole database is what was written, and what SlateDB reads.
            List<Row> after = InteropRows.toReadRows(LsmReference.visible(List.of(everything)));
            assertSameRows(after, InteropRows.toReadRows(LsmReference.visible(db.readSources(latest))),
                    "our merge of the decoded database");
            assertSameRows(after, rust.read(store, DB).entries(), "DbReader scan after the Rust writes");
        }
    }

    /**
     * SlateDB's compactor reads our two L0 SSTs (several versions of some keys, tombstones) and whatever of
     * our sorted run it picks, and writes sorted-run SSTs; our readers decode them into the newest versions
     * of what we wrote, and the database still reads as it did.
     */
    @Test
    void rustCompactsOurL0SstsIntoASortedRunWeDecode(@TempDir Path store) {
        CompressionCodec codec = CompressionCodec.LZ4;
        JavaWrittenDatabase ours = JavaWrittenDatabase.write(store, DB, codec, SEED + 100);
        List<Row> model = InteropRows.toReadRows(LsmReference.visible(List.of(ours.writes())));
        Ulid ourNewestL0 = ours.manifest().core().l0().get(0).id();

        RustSlateDb rust = RustSlateDb.get();
        rust.write(RustWriteJob.create(store, DB)
                .compression(codec)
                .sstBlockSize("Block1Kib")
                .setting("garbage_collector_options", null)
                .setting("compactor_options.poll_interval", "20ms")
                .setting("compactor_options.scheduler_options", Map.of("min_compaction_sources", "2",
                        "max_compaction_sources", "8", "include_size_threshold", "0.01"))
                .awaitCompaction(1, 0, Duration.ofSeconds(30)));

        try (DecodedDatabase db = DecodedDatabase.open(store, DB)) {
            db.manifests().forEach(m -> assertArrayEquals(m.bytes(), ManifestCodec.encode(m.manifest())));
            Manifest latest = db.latestManifest().manifest();
            assertTrue(latest.core().l0().isEmpty(), "our L0 SSTs were compacted");
            assertEquals(ourNewestL0, latest.core().tree().lastCompactedL0SstId());
            List<Ulid> oursIds = new ArrayList<>();
            ours.manifest().core().compacted().forEach(r -> r.ssts().forEach(v -> oursIds.add(v.id())));
            int rustSsts = 0;
            for (var run : latest.core().compacted()) {
                for (SstView view : run.ssts()) {
                    if (oursIds.contains(view.id())) {
                        continue;
                    }
                    rustSsts++;
                    SstReader reader = db.compacted(view.sst().id());
                    List<RowEntry> rows = DecodedDatabase.rows(reader);
                    SstChecks.assertCompactedSst(reader, rows, codec, 1000);
                    assertEquals(reader.info(), view.sst().info());
                    long maxSeq = rows.stream().mapToLong(RowEntry::seq).max().orElseThrow();
                    for (RowEntry row : rows) {
                        String problem = LsmReference.explainInconsistency(row, ours.writes(),
                                view.sst().id().timestampMillis());
                        assertNull(problem, view.id() + ": " + problem);
                        assertTrue(ours.writes().stream().noneMatch(w -> Arrays.equals(w.key(), row.key())
                                && w.seq() > row.seq() && w.seq() <= maxSeq), "newest version: " + row);
                    }
                }
            }
            assertTrue(rustSsts > 0, "the compactor wrote a sorted run");
            assertSameRows(model, InteropRows.toReadRows(LsmReference.visible(db.readSources(latest))),
                    "our merge of the compacted database");
        }
        assertSameRows(model, rust.read(store, DB).entries(), "DbReader scan after the compaction");
    }

    /** What the Rust get path is to go through: many 1 KiB blocks and a legacy bloom filter per SST. */
    private static void assertOurSstsHaveFiltersAndManyBlocks(Path store, JavaWrittenDatabase ours) {
        try (DecodedDatabase db = DecodedDatabase.open(store, DB)) {
            List<SstView> views = new ArrayList<>(ours.manifest().core().l0());
            ours.manifest().core().compacted().forEach(run -> views.addAll(run.ssts()));
            assertEquals(4, views.size());
            for (SstView view : views) {
                SstReader reader = db.compacted(view.sst().id());
                assertTrue(reader.info().hasFilter(), view.id() + " has a filter");
                assertEquals(io.slatedb.sst.FilterFormat.LEGACY, reader.info().filterFormat());
                assertTrue(reader.index().blockCount() > 30, view.id() + " has many blocks");
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
