package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.CompressionCodec;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.KeyRange;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.Segment;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code manifest show} on a manifest with what the golden databases lack: segments, SST views with
 * their own ids and visible ranges, binary keys, unsigned values above 2^63, a named never-expiring
 * checkpoint and an external database.
 */
@Timeout(60)
class SyntheticManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ulid SST_A = Ulid.parse("01HZZZZZZZZZZZZZZZZZZZZZZA");
    private static final Ulid SST_B = Ulid.parse("01HZZZZZZZZZZZZZZZZZZZZZZB");
    private static final Ulid VIEW_1 = Ulid.parse("01J00000000000000000000001");
    private static final Ulid VIEW_2 = Ulid.parse("01J00000000000000000000002");
    private static final UUID CHECKPOINT = UUID.fromString("6f1c3a52-9d0e-4b7a-8c61-2f4e5d6a7b8c");
    private static final UUID SOURCE = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    private static final long U64_MAX = -1L;

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Manifest manifest() {
        CompactedSst a = new CompactedSst(SST_A, new SstInfo(new byte[] {0, (byte) 0xFF}, 100, 20, 80, 20,
                CompressionCodec.SNAPPY, SstType.COMPACTED, utf8("m"), 120, 30, FilterFormat.COMPOSITE), 2);
        CompactedSst b = new CompactedSst(SST_B, new SstInfo(utf8("p/1"), 200, 25, 0, 0, CompressionCodec.NONE,
                SstType.COMPACTED, utf8("p/9"), 225, 40, FilterFormat.LEGACY), 2);
        LsmTree tree = new LsmTree(null, null,
                List.of(new SstView(VIEW_1, a, new KeyRange(KeyBound.included(utf8("b")), KeyBound.unbounded()))),
                List.of(new SortedRun(0xFFFF_FFFFL, List.of(new SstView(VIEW_2, a,
                        new KeyRange(KeyBound.excluded(new byte[] {1}), KeyBound.included(utf8("z"))))))));
        Segment segment = new Segment(utf8("p/"), new LsmTree(null, null, List.of(SstView.of(b)), List.of()));
        Checkpoint checkpoint = new Checkpoint(CHECKPOINT, U64_MAX, 0, 1_700_000_000L, "before-upgrade",
                OptionalLong.of(U64_MAX));
        ManifestCore core = new ManifestCore(true, tree, List.of(segment), "prefix", U64_MAX, U64_MAX - 1,
                Long.MIN_VALUE, U64_MAX, 7, null, List.of(checkpoint), null);
        ExternalDb external = new ExternalDb("source/db", SOURCE, null, List.of(SST_B));
        return new Manifest(List.of(external), core, U64_MAX, 1L << 63);
    }

    private GoldenDbLike write() throws Exception {
        Path store = dir.resolve("store");
        // Stored as the last possible manifest, so its checkpoint (of manifest u64::MAX) is not ahead of it.
        String path = DbLayout.of("db").manifestPath(U64_MAX);
        Files.createDirectories(store.resolve(path).getParent());
        Files.write(store.resolve(path), ManifestCodec.encode(manifest()));
        return new GoldenDbLike(GoldenDb.fileUrl(store), ManifestCodec.decode(path, Files.readAllBytes(store.resolve(path))));
    }

    private record GoldenDbLike(String storeUrl, Manifest stored) {
    }

    @Test
    void jsonCarriesEveryValue() throws Exception {
        GoldenDbLike db = write();
        CliRun run = CliRun.of("manifest", "show", "--json", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        JsonNode json = JSON.readTree(run.out());
        assertEquals("18446744073709551615", json.get("writer_epoch").toString());
        assertEquals("9223372036854775808", json.get("compactor_epoch").toString());
        assertEquals("18446744073709551614", json.get("core").get("wal_id_last_seen").toString());
        assertEquals(Long.MIN_VALUE, json.get("core").get("last_l0_clock_tick").longValue());
        assertEquals("00ff", json.get("core").get("tree").get("l0").get(0).get("sst").get("info")
                .get("first_entry").textValue());
        assertEquals(db.stored(), ManifestFromJson.manifest(json));
    }

    @Test
    void textShowsSegmentsViewsBinaryKeysAndUnsignedValues() throws Exception {
        GoldenDbLike db = write();
        CliRun run = CliRun.of("manifest", "show", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        ShowText text = new ShowText(run.out());
        assertEquals("18446744073709551615", text.summary.get("writer epoch"));
        assertEquals("9223372036854775808", text.summary.get("compactor epoch"));
        assertEquals("18446744073709551615", text.summary.get("next WAL SST id"));
        assertEquals("none (nothing flushed to L0 yet)", text.summary.get("last L0 clock tick"));
        assertEquals("prefix", text.summary.get("segment extractor"));

        String[] l0 = text.sstRows.get("L0").get(0);
        assertEquals(List.of(SST_A.toString(), "120", "0x00ff", "\"m\"", "view " + VIEW_1 + ", visible [\"b\", unbounded)"),
                List.of(l0[0], l0[2], l0[3], l0[4], l0[5]));
        String[] run4294967295 = text.sstRows.get("run 4294967295").get(0);
        assertEquals("view " + VIEW_2 + ", visible (0x01, \"z\"]", run4294967295[5]);
        assertTrue(text.sectionLines.contains("L0 of segment \"p/\": 1 SST, newest first (last compacted L0: none)"),
                text.sectionLines::toString);

        assertEquals(List.of(CHECKPOINT.toString(), "18446744073709551615", "2023-11-14T22:13:20Z", "never",
                "before-upgrade"), List.of(text.checkpointRows.get(0)));
        String external = run.outLines().stream().filter(l -> l.startsWith("  source/db ")).findFirst().orElseThrow();
        assertEquals(List.of("source/db", SOURCE.toString(), "-", SST_B.toString()),
                List.of(external.strip().split(" {2,}")));
    }
}
