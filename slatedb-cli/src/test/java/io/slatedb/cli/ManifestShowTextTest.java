package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code slatedb manifest show} on copies of the databases the Rust SlateDB 0.12.1 wrote: the printed
 * values are those of the golden descriptions, and each SST row matches the footer of the SST object.
 */
@Timeout(60)
class ManifestShowTextTest {

    @TempDir
    Path dir;

    static List<String> goldenNames() {
        return GoldenDb.names();
    }

    @ParameterizedTest
    @MethodSource("goldenNames")
    void latestManifestSummaryMatchesTheGoldenDescription(String name) throws IOException {
        GoldenDb db = GoldenDb.copy(name, dir);
        CliRun run = CliRun.of("--store", db.storeUrl(), "--path", db.dbPath(), "manifest", "show");
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("", run.err(), run::describe);
        assertMatches(db, db.latestManifest(), new ShowText(run.out()));
    }

    @Test
    void olderManifestsByIdMatchTheStatesRecordedAfterEachCompaction() throws IOException {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        List<JsonNode> recorded = db.compactionManifests();
        assertEquals(2, recorded.size());
        for (JsonNode expected : recorded) {
            String id = expected.path("id").asText();
            CliRun run = CliRun.of("manifest", "show", "--id", id, "--store", db.storeUrl());
            assertEquals(0, run.exitCode(), run::describe);
            assertMatches(db, expected, new ShowText(run.out()));
        }
    }

    @Test
    void hexForcesEveryKeyIntoHex() throws IOException {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun run = CliRun.of("manifest", "show", "--hex", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        ShowText text = new ShowText(run.out());
        for (String[] row : allSstRows(text)) {
            SstInfo info = sstInfo(db, row[0]);
            assertEquals("0x" + HexFormat.of().formatHex(info.firstEntry()), row[3]);
            assertEquals("0x" + HexFormat.of().formatHex(info.lastEntry()), row[4]);
        }
    }

    @Test
    void separateWalStoreIsReported() throws IOException {
        GoldenDb db = GoldenDb.copy("wal-store", dir);
        CliRun run = CliRun.of("manifest", "show", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("a separate store (recorded URI \"\")", new ShowText(run.out()).summary.get("WAL store"));
    }

    /** Compares the printed manifest with a manifest summary of a golden description. */
    private static void assertMatches(GoldenDb db, JsonNode expected, ShowText text) throws IOException {
        assertEquals("Manifest " + expected.path("id").asText() + " of " + db.dbPath() + " in " + db.storeUrl(),
                text.header);
        Map<String, String> summary = text.summary;
        assertEquals(expected.path("writerEpoch").asText(), summary.get("writer epoch"));
        assertEquals(expected.path("compactorEpoch").asText(), summary.get("compactor epoch"));
        assertEquals(Long.toString(expected.path("walIdLastSeen").asLong() + 1), summary.get("next WAL SST id"));
        assertEquals(expected.path("replayAfterWalId").asText(), summary.get("replay after WAL id"));
        assertEquals(expected.path("lastL0Seq").asText(), summary.get("last L0 seq"));
        long tick = expected.path("lastL0ClockTick").asLong();
        assertEquals(tick + " (" + Instant.ofEpochMilli(tick) + ")", summary.get("last L0 clock tick"));
        assertEquals("yes", summary.get("initialized"));

        List<String> l0 = new ArrayList<>();
        expected.path("l0").forEach(id -> l0.add(id.asText()));
        assertEquals(l0, ids(text.sstRows.getOrDefault("L0", List.of())), "L0 SSTs, newest first");
        List<String> runs = new ArrayList<>();
        for (JsonNode run : expected.path("compacted")) {
            runs.add("run " + run.path("id").asText());
            List<String> ssts = new ArrayList<>();
            run.path("ssts").forEach(id -> ssts.add(id.asText()));
            assertEquals(ssts, ids(text.sstRows.getOrDefault("run " + run.path("id").asText(), List.of())));
        }
        assertEquals(runs, text.sstRows.keySet().stream().filter(s -> s.startsWith("run ")).toList(),
                "sorted runs by descending id");
        for (String[] row : allSstRows(text)) {
            assertSstRow(db, row);
        }
        assertTrue(text.sectionLines.get(0).startsWith("L0: " + count(l0.size(), "SST") + ", newest first ("),
                text.sectionLines::toString);
        assertTrue(text.sectionLines.contains("Sorted runs: " + count(runs.size(), "run")),
                text.sectionLines::toString);
        for (JsonNode run : expected.path("compacted")) {
            assertTrue(text.sectionLines.contains("  run " + run.path("id").asText() + ": "
                    + count(run.path("ssts").size(), "SST")), text.sectionLines::toString);
        }

        JsonNode checkpoints = expected.path("checkpoints");
        assertEquals(checkpoints.size(), text.checkpointRows.size());
        for (int i = 0; i < checkpoints.size(); i++) {
            JsonNode c = checkpoints.get(i);
            String[] expectedRow = {c.path("id").asText(), c.path("manifestId").asText(),
                    Instant.ofEpochSecond(c.path("createTimeS").asLong()).toString(),
                    Instant.ofEpochSecond(c.path("expireTimeS").asLong()).toString(), "-"};
            assertArrayEquals(expectedRow, text.checkpointRows.get(i));
        }
        assertTrue(text.sectionLines.contains("Checkpoints: " + checkpoints.size()), text.sectionLines::toString);
        assertTrue(text.sectionLines.contains("External databases: 0"), text.sectionLines::toString);
    }

    /** A row shows the SST's id, the time in its ULID, its size estimate and its keys, as its footer has them. */
    private static void assertSstRow(GoldenDb db, String[] row) throws IOException {
        SstInfo info = sstInfo(db, row[0]);
        assertEquals(5, row.length, () -> String.join(" | ", row));
        assertEquals(Instant.ofEpochMilli(Ulid.parse(row[0]).timestampMillis()).toString(), row[1]);
        assertEquals(Long.toString(info.indexOffset() + info.indexLength()), row[2]);
        assertEquals(quotedAscii(info.firstEntry()), row[3]);
        assertEquals(quotedAscii(info.lastEntry()), row[4]);
    }

    private static SstInfo sstInfo(GoldenDb db, String ulid) throws IOException {
        String path = DbLayout.of(db.dbPath()).compactedSstPath(Ulid.parse(ulid));
        return SstReader.fromBytesRequired(path, Files.readAllBytes(db.file(path))).info();
    }

    /** The golden keys are plain ASCII, which text output quotes. */
    private static String quotedAscii(byte[] key) {
        String text = new String(key, StandardCharsets.US_ASCII);
        assertTrue(text.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\'), text);
        return '"' + text + '"';
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static List<String> ids(List<String[]> rows) {
        return rows.stream().map(r -> r[0]).toList();
    }

    private static List<String[]> allSstRows(ShowText text) {
        return text.sstRows.values().stream().flatMap(List::stream).toList();
    }
}
