package io.slatedb.interop;

import static io.slatedb.interop.RowAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.interop.DecodedDatabase.ManifestObject;
import io.slatedb.interop.DecodedDatabase.WalObject;
import io.slatedb.interop.RustResults.WalFileDump;
import io.slatedb.interop.RustResults.WriteResult;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstReader;
import io.slatedb.sst.SstType;
import io.slatedb.sst.ValueKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Rust SlateDB 0.12.1 writes a database now, one per compression codec, with a seeded random workload
 * ({@link SeededWorkload}: values from 0 bytes to 1 MiB, overwrites, deletes, batches, TTLs, WAL flushes,
 * two memtable flushes, a WAL-only tail); this project's readers then decode every manifest, WAL SST and
 * L0 SST into exactly the rows, seqs and create_ts SlateDB reported for each write, into exactly what
 * SlateDB's own {@code WalReader} dumps, and, merged, into exactly what a SlateDB {@code DbReader} reads.
 */
@RequiresNode
@Timeout(120)
class RustWrittenDatabaseLiveTest {

    private static final String DB = "db";
    private static final long SEED = 0x5eed_0012_0001L;
    private static final int MIN_FILTER_KEYS = 2;

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompressionCodec.class)
    void ourReadersDecodeExactlyWhatRustWrote(CompressionCodec codec, @TempDir Path store) {
        RustSlateDb rust = RustSlateDb.get();
        RustWriteJob job = RustWriteJob.create(store, DB)
                .compression(codec)
                .sstBlockSize("Block1Kib")
                .setting("min_filter_keys", MIN_FILTER_KEYS)
                // Deterministic SSTs: no compaction, no garbage collection.
                .setting("compactor_options", null)
                .setting("garbage_collector_options", null);
        SeededWorkload.appendTo(job, SEED + codec.ordinal());
        WriteResult written = rust.write(job);
        WriteLog log = WriteLog.fromJob(job, written);
        assertWorkloadCoversTheCases(log);

        try (DecodedDatabase db = DecodedDatabase.open(store, DB)) {
            assertWalObjects(db, log, rust.walDump(store, DB), codec);
            Manifest latest = assertManifests(db, log, written.manifest());
            assertL0Ssts(db, latest, log, codec);

            List<List<RowEntry>> sources = db.readSources(latest);
            assertSameRows(rust.read(store, DB).entries(), InteropRows.toReadRows(LsmReference.visible(sources)),
                    "DbReader scan vs our merge of the decoded sources");
        }
    }

    /** The workload did what it is meant to exercise (a change of the generator must not quietly drop it). */
    private static void assertWorkloadCoversTheCases(WriteLog log) {
        for (int size : SeededWorkload.REQUIRED_VALUE_SIZES) {
            assertTrue(log.writes().stream().anyMatch(w -> w.kind() == ValueKind.VALUE && w.value().length == size),
                    "a value of " + size + " bytes");
        }
        assertEquals(2, log.memtableFlushes().size());
        assertTrue(log.writes().size() > log.memtableFlushes().stream().mapToInt(List::size).sum(), "WAL-only writes");
        assertTrue(log.writes().stream().anyMatch(RowEntry::isTombstone));
        assertTrue(log.writes().stream().anyMatch(w -> w.expireTs().isPresent()));
        assertTrue(log.walObjects().size() >= 7, "fence, two WAL flushes per phase, shutdown");
    }

    /** Every WAL object: exactly the rows of the writes, and exactly what SlateDB's WalReader sees. */
    private static void assertWalObjects(DecodedDatabase db, WriteLog log, List<WalFileDump> dump,
                                         CompressionCodec codec) {
        List<WalObject> objects = db.walObjects();
        assertEquals(log.walObjects().size(), objects.size(), "WAL objects");
        for (int i = 0; i < objects.size(); i++) {
            assertSameRows(log.walObjects().get(i), objects.get(i).rows(), "the writes in WAL " + (i + 1));
        }
        assertEquals(dump.size(), objects.size());
        for (int i = 0; i < objects.size(); i++) {
            WalObject object = objects.get(i);
            WalFileDump rust = dump.get(i);
            String at = "WAL " + object.id();
            assertEquals(i + 1, object.id(), at);
            assertEquals(rust.id(), object.id(), at);
            assertEquals(rust.sizeBytes(), object.sizeBytes(), at);
            assertSameRows(rust.rows().stream().map(InteropRows::fromWalRow).toList(), object.rows(), "WalReader, " + at);
            assertNotNull(object.info(), "0.12.1 writes every WAL object as an SST: " + at);
            assertEquals(codec, object.info().compression(), at);
            if (!object.rows().isEmpty()) {
                assertEquals(SstType.WAL, object.info().type(), at);
                assertArrayEquals(io.slatedb.format.BigEndian.u64Bytes(object.rows().get(0).seq()),
                        object.info().firstEntry(), at + ": first entry = first seq");
            }
        }
        assertTrue(objects.get(0).rows().isEmpty(), "the writer's fence");
    }

    /** Every manifest decodes and re-encodes to its bytes; the latest describes the two L0 flushes. */
    private static Manifest assertManifests(DecodedDatabase db, WriteLog log, JsonNode summary) {
        List<ManifestObject> manifests = db.manifests();
        for (ManifestObject m : manifests) {
            assertArrayEquals(m.bytes(), ManifestCodec.encode(m.manifest()), "manifest " + m.id());
            for (SstView view : m.manifest().core().l0()) {
                assertEquals(db.compacted(view.sst().id()).info(), view.sst().info(), "entry = footer: " + view.id());
            }
        }
        ManifestObject latest = manifests.get(manifests.size() - 1);
        assertEquals(summary.path("id").asLong(), latest.id(), "the manifest the job ended with");
        Manifest m = latest.manifest();
        ManifestCore core = m.core();
        assertTrue(core.initialized());
        assertEquals(1, m.writerEpoch());
        assertEquals(summary.path("compactorEpoch").asLong(), m.compactorEpoch());
        assertEquals(log.lastFlushedSeq(), core.lastL0Seq());
        assertEquals(log.memtableFlushes().stream().flatMap(List::stream)
                .mapToLong(r -> r.createTs().orElseThrow()).max().orElseThrow(), core.lastL0ClockTick());
        assertEquals(log.replayAfterWalId(), core.replayAfterWalId());
        assertEquals(summary.path("walIdLastSeen").asLong(), core.nextWalSstId() - 1);
        assertTrue(core.nextWalSstId() - 1 >= core.replayAfterWalId());
        assertEquals(log.memtableFlushes().size(), core.l0().size());
        assertTrue(core.l0().get(0).id().compareTo(core.l0().get(1).id()) > 0, "L0 newest first");
        assertTrue(core.compacted().isEmpty());
        assertTrue(core.checkpoints().isEmpty());
        assertNull(core.walObjectStoreUri());
        return m;
    }

    /** Each L0 SST holds exactly its memtable flush, expired values turned into tombstones. */
    private static void assertL0Ssts(DecodedDatabase db, Manifest latest, WriteLog log, CompressionCodec codec) {
        List<SstView> l0 = latest.core().l0();
        assertEquals(l0.stream().map(v -> v.sst().id()).sorted().toList(), db.compactedIds(), "no other SSTs");
        boolean expiredBecameTombstone = false;
        for (int i = 0; i < l0.size(); i++) {
            Ulid id = l0.get(i).sst().id();
            List<RowEntry> window = log.memtableFlushes().get(l0.size() - 1 - i);
            SstReader reader = db.compacted(id);
            List<RowEntry> rows = DecodedDatabase.rows(reader);
            assertSameRows(LsmReference.flush(window, id.timestampMillis()), rows, "L0 " + id);
            SstChecks.assertCompactedSst(reader, rows, codec, MIN_FILTER_KEYS);
            expiredBecameTombstone |= rows.stream().anyMatch(r -> r.isTombstone()
                    && Arrays.equals(r.key(), SeededWorkload.EXPIRED_KEY));
        }
        assertTrue(expiredBecameTombstone, "the flush wrote the expired put as a tombstone");
    }
}
