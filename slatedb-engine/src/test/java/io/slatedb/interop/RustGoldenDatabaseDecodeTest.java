package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.interop.DecodedDatabase.ManifestObject;
import io.slatedb.interop.DecodedDatabase.WalObject;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstReader;
import io.slatedb.sst.SstType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden databases the Rust SlateDB 0.12.1 wrote ({@code golden/rust-0.12.1}), decoded with this
 * project's readers only and compared with what their descriptions say was written and read: every
 * manifest (exact values, byte-identical re-encoding), every WAL object (exactly the raw rows SlateDB's
 * {@code WalReader} reported), every compacted SST (the folds of the writes SlateDB flushed or compacted,
 * Rust-built bloom filters, point reads, verification), and a merge of all sources that reproduces what a
 * SlateDB reader returned. Runs without Node.
 */
@Timeout(60)
class RustGoldenDatabaseDecodeTest {

    static Stream<String> databases() {
        return RustGoldenFixtures.names().stream();
    }

    /** A golden database copied to a temporary directory and opened with our readers. */
    private record Golden(String name, JsonNode description, WriteLog log, DecodedDatabase db,
                          CompressionCodec codec) {

        static Golden open(String name, Path dir) {
            JsonNode description = RustGoldenFixtures.description(name);
            Path root = RustGoldenFixtures.copy(name, dir);
            JsonNode walStore = description.path("walStore");
            DecodedDatabase db = DecodedDatabase.open(root.resolve(description.path("store").asText()),
                    walStore.isNull() ? null : root.resolve(walStore.asText()), description.path("path").asText());
            JsonNode codec = description.path("settings").path("compression_codec");
            return new Golden(name, description, WriteLog.fromDescription(description), db,
                    codec.isMissingNode() || codec.isNull() ? CompressionCodec.NONE
                            : CompressionCodec.valueOf(codec.asText().toUpperCase(Locale.ROOT)));
        }

        JsonNode expected() {
            return description.path("expected");
        }

        boolean concatMerge() {
            return "concat".equals(description.path("mergeOperator").asText(null));
        }

        int minFilterKeys() {
            return description.path("settings").path("min_filter_keys").asInt(1000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void everyManifestDecodesAndReEncodesToItsOwnBytes(String name, @TempDir Path dir) {
        Golden golden = Golden.open(name, dir);
        try (DecodedDatabase db = golden.db()) {
            List<ManifestObject> manifests = db.manifests();
            assertEquals(golden.expected().path("latestManifest").path("id").asLong(),
                    manifests.get(manifests.size() - 1).id());
            for (ManifestObject m : manifests) {
                assertEquals(ManifestCodec.VERSION_1, ByteBuffer.wrap(m.bytes()).getShort() & 0xFFFF);
                assertArrayEquals(m.bytes(), ManifestCodec.encode(m.manifest()), "manifest " + m.id());
                assertTrue(m.manifest().core().initialized());
                assertTrue(m.manifest().externalDbs().isEmpty());
                // Every SST a manifest lists is in compacted/ (the generator turned GC off) and the entry
                // repeats the SST's own footer exactly.
                for (SstView view : allViews(m.manifest().core())) {
                    assertEquals(view.id(), view.sst().id(), "0.12.1 views are whole SSTs");
                    assertNull(view.visibleRange());
                    SstReader reader = db.compacted(view.sst().id());
                    assertEquals(reader.info(), view.sst().info(), "manifest " + m.id() + " entry " + view.id());
                    assertEquals(2, view.sst().formatVersion());
                    assertEquals(2, reader.blockFormat().sstFormatVersion());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theLatestManifestHoldsExactlyWhatSlateDbReported(String name, @TempDir Path dir) {
        Golden golden = Golden.open(name, dir);
        JsonNode expected = golden.expected().path("latestManifest");
        try (DecodedDatabase db = golden.db()) {
            List<ManifestObject> manifests = db.manifests();
            Manifest latest = manifests.get(manifests.size() - 1).manifest();
            ManifestCore core = latest.core();

            assertEquals(expected.path("writerEpoch").asLong(), latest.writerEpoch());
            assertEquals(expected.path("compactorEpoch").asLong(), latest.compactorEpoch());
            assertEquals(expected.path("replayAfterWalId").asLong(), core.replayAfterWalId());
            assertEquals(expected.path("walIdLastSeen").asLong(), core.nextWalSstId() - 1);
            assertEquals(expected.path("lastL0Seq").asLong(), core.lastL0Seq());
            assertEquals(expected.path("lastL0ClockTick").asLong(), core.lastL0ClockTick());
            assertEquals(golden.log().lastFlushedSeq(), core.lastL0Seq(), "the last memtable flush's seq");
            assertEquals(golden.log().replayAfterWalId(), core.replayAfterWalId(), "the last memtable flush's WAL");
            assertEquals(maxCreateTs(golden.log().memtableFlushes()), core.lastL0ClockTick());
            assertFalse(core.isSegmented());

            List<String> l0 = core.l0().stream().map(v -> v.id().toString()).toList();
            assertEquals(texts(expected.path("l0")), l0);
            for (int i = 1; i < core.l0().size(); i++) {
                assertTrue(core.l0().get(i - 1).id().compareTo(core.l0().get(i).id()) > 0, "L0 is newest first");
            }
            assertEquals(expected.path("compacted").size(), core.compacted().size());
            for (int i = 0; i < core.compacted().size(); i++) {
                SortedRun run = core.compacted().get(i);
                assertEquals(expected.path("compacted").get(i).path("id").asLong(), run.id());
                assertEquals(texts(expected.path("compacted").get(i).path("ssts")),
                        run.ssts().stream().map(v -> v.id().toString()).toList());
            }

            List<Checkpoint> checkpoints = new ArrayList<>();
            for (JsonNode c : expected.path("checkpoints")) {
                checkpoints.add(new Checkpoint(UUID.fromString(c.path("id").asText()), c.path("manifestId").asLong(),
                        c.path("expireTimeS").asLong(), c.path("createTimeS").asLong(), null, OptionalLong.empty()));
            }
            assertEquals(checkpoints, core.checkpoints());

            // A separate WAL store is recorded as an empty URI; otherwise the field is absent.
            assertEquals(golden.description().path("walStore").isNull() ? null : "", core.walObjectStoreUri());

            // The compactor's marker: the newest L0 SST it absorbed, no longer in L0 but listed there before.
            Ulid marker = core.tree().lastCompactedL0SstId();
            if (core.compacted().isEmpty()) {
                assertNull(marker);
                assertNull(core.tree().lastCompactedL0ViewId());
            } else {
                assertNotNull(marker, "a compacted database records the last compacted L0");
                assertEquals(marker, core.tree().lastCompactedL0ViewId(), "version 1: view id = SST id");
                assertFalse(l0.contains(marker.toString()));
                assertTrue(manifests.stream().anyMatch(m -> m.manifest().core().l0().stream()
                        .anyMatch(v -> v.id().equals(marker))), "the marker was an L0 SST");
                core.l0().forEach(v -> assertTrue(v.id().compareTo(marker) > 0, "remaining L0s are newer"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void walObjectsHoldExactlyTheRowsSlateDbsWalReaderReported(String name, @TempDir Path dir) {
        Golden golden = Golden.open(name, dir);
        try (DecodedDatabase db = golden.db()) {
            List<WalObject> objects = db.walObjects();
            JsonNode expected = golden.expected().path("wal");
            assertEquals(expected.size(), objects.size());
            for (int i = 0; i < objects.size(); i++) {
                WalObject object = objects.get(i);
                JsonNode e = expected.get(i);
                String at = "WAL " + object.id();
                assertEquals(e.path("id").asLong(), object.id(), at);
                assertEquals(e.path("sizeBytes").asLong(), object.sizeBytes(), at);
                assertNotNull(object.info(), "0.12.1 writes every WAL object as an SST, fences too: " + at);
                assertEquals(golden.codec(), object.info().compression(), at);
                assertEquals(InteropRows.fromJsonWalRows(e.path("rows")), object.rows(), at);
                if (!object.rows().isEmpty()) {
                    assertEquals(SstType.WAL, object.info().type(), at);
                }
            }
            // The rules WriteLog derives WAL objects from (used by the live tests) give the same rows.
            assertEquals(golden.log().walObjects(), objects.stream().map(WalObject::rows).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void everyCompactedSstHoldsNewestVersionsOfWhatWasWritten(String name, @TempDir Path dir) {
        Golden golden = Golden.open(name, dir);
        try (DecodedDatabase db = golden.db()) {
            List<Ulid> ids = db.compactedIds();
            assertFalse(ids.isEmpty());
            for (Ulid id : ids) {
                SstReader reader = db.compacted(id);
                List<RowEntry> rows = DecodedDatabase.rows(reader);
                SstChecks.assertCompactedSst(reader, rows, golden.codec(), golden.minFilterKeys());
                long maxSeq = rows.stream().mapToLong(RowEntry::seq).max().orElseThrow();
                for (RowEntry row : rows) {
                    String problem = LsmReference.explainInconsistency(row, golden.log().writes(), id.timestampMillis());
                    assertNull(problem, id + ": " + problem);
                    // Nothing newer of the key was written within what the SST covers.
                    assertTrue(golden.log().writes().stream().noneMatch(w -> java.util.Arrays.equals(w.key(), row.key())
                            && w.seq() > row.seq() && w.seq() <= maxSeq), id + ": a newer version exists: " + row);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void l0SstsHoldExactlyTheirMemtableFlush(String name, @TempDir Path dir) {
        Golden golden = Golden.open(name, dir);
        try (DecodedDatabase db = golden.db()) {
            List<SstView> l0 = db.latestManifest().manifest().core().l0();
            List<List<RowEntry>> flushes = golden.log().memtableFlushes();
            assertFalse(l0.isEmpty());
            for (int i = 0; i < l0.size(); i++) {
                // L0 is newest first; the remaining L0 SSTs are the last flushes.
                List<RowEntry> window = flushes.get(flushes.size() - 1 - i);
                Ulid id = l0.get(i).sst().id();
                assertEquals(LsmReference.flush(window, id.timestampMillis()),
                        DecodedDatabase.rows(db.compacted(id)), "L0 " + id);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void mergingTheDecodedSourcesGivesWhatSlateDbRead(String name, @TempDir Path dir) {
        Golden golden = Golden.open(name, dir);
        try (DecodedDatabase db = golden.db()) {
            List<List<RowEntry>> sources = db.readSources(db.latestManifest().manifest());
            assertEquals(InteropRows.fromJsonEntries(golden.expected().path("entries")),
                    InteropRows.toReadRows(LsmReference.visible(sources)));
            if (!golden.concatMerge()) {
                assertTrue(sources.stream().flatMap(List::stream)
                        .noneMatch(r -> r.kind() == io.slatedb.sst.ValueKind.MERGE_OPERAND));
            }
        }
    }

    private static List<SstView> allViews(ManifestCore core) {
        List<SstView> views = new ArrayList<>(core.l0());
        core.compacted().forEach(run -> views.addAll(run.ssts()));
        return views;
    }

    private static long maxCreateTs(List<List<RowEntry>> flushes) {
        return flushes.stream().flatMap(List::stream).mapToLong(r -> r.createTs().orElseThrow()).max()
                .orElse(Long.MIN_VALUE);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
