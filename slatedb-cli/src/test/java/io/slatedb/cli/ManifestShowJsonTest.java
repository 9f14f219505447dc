package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code slatedb manifest show --json} on copies of the Rust-written golden databases: the JSON parses,
 * holds the values of the golden description, and rebuilds exactly the manifest decoded from the object.
 */
@Timeout(60)
class ManifestShowJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<String> goldenNames() {
        return GoldenDb.names();
    }

    @ParameterizedTest
    @MethodSource("goldenNames")
    void jsonHoldsTheLatestManifestOfTheGoldenDescription(String name) throws Exception {
        GoldenDb db = GoldenDb.copy(name, dir);
        CliRun run = CliRun.of("--json", "--store", db.storeUrl(), "--path", db.dbPath(), "manifest", "show");
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("", run.err(), run::describe);
        JsonNode json = JSON.readTree(run.out());
        assertSummary(db.latestManifest(), json);
        assertRoundTrips(db, json);
    }

    @Test
    void jsonOfAnOlderManifestById() throws Exception {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        for (JsonNode expected : db.compactionManifests()) {
            CliRun run = CliRun.of("manifest", "show", "--json", "--id", expected.path("id").asText(),
                    "--store", db.storeUrl());
            assertEquals(0, run.exitCode(), run::describe);
            JsonNode json = JSON.readTree(run.out());
            assertSummary(expected, json);
            assertRoundTrips(db, json);
        }
    }

    /** The values the golden description records, in the JSON's names. */
    private static void assertSummary(JsonNode expected, JsonNode json) {
        JsonNode core = json.get("core");
        assertEquals(expected.get("id").longValue(), ManifestFromJson.u64(json.get("id")));
        assertEquals(expected.get("writerEpoch").longValue(), ManifestFromJson.u64(json.get("writer_epoch")));
        assertEquals(expected.get("compactorEpoch").longValue(), ManifestFromJson.u64(json.get("compactor_epoch")));
        assertEquals(expected.get("replayAfterWalId").longValue(), ManifestFromJson.u64(core.get("replay_after_wal_id")));
        assertEquals(expected.get("walIdLastSeen").longValue(), ManifestFromJson.u64(core.get("wal_id_last_seen")));
        assertEquals(expected.get("walIdLastSeen").longValue() + 1, ManifestFromJson.u64(core.get("next_wal_sst_id")));
        assertEquals(expected.get("lastL0Seq").longValue(), ManifestFromJson.u64(core.get("last_l0_seq")));
        assertEquals(expected.get("lastL0ClockTick").longValue(), core.get("last_l0_clock_tick").longValue());

        JsonNode tree = core.get("tree");
        assertEquals(texts(expected.get("l0")), viewIds(tree.get("l0")));
        JsonNode runs = tree.get("compacted");
        assertEquals(expected.get("compacted").size(), runs.size());
        for (int i = 0; i < runs.size(); i++) {
            JsonNode expectedRun = expected.get("compacted").get(i);
            assertEquals(expectedRun.get("id").longValue(), runs.get(i).get("id").longValue());
            assertEquals(texts(expectedRun.get("ssts")), viewIds(runs.get(i).get("ssts")));
        }
        JsonNode checkpoints = core.get("checkpoints");
        assertEquals(expected.get("checkpoints").size(), checkpoints.size());
        for (int i = 0; i < checkpoints.size(); i++) {
            JsonNode e = expected.get("checkpoints").get(i);
            JsonNode c = checkpoints.get(i);
            assertEquals(e.get("id").textValue(), c.get("id").textValue());
            assertEquals(e.get("manifestId").longValue(), ManifestFromJson.u64(c.get("manifest_id")));
            assertEquals(e.get("createTimeS").longValue(), c.get("create_time_s").longValue());
            assertEquals(e.get("expireTimeS").longValue(), c.get("expire_time_s").longValue());
        }
    }

    /** The JSON rebuilds the manifest the codec decodes from the object itself. */
    private static void assertRoundTrips(GoldenDb db, JsonNode json) throws Exception {
        long id = ManifestFromJson.u64(json.get("id"));
        String path = DbLayout.of(db.dbPath()).manifestPath(id);
        Manifest stored = ManifestCodec.decode(path, Files.readAllBytes(db.file(path)));
        assertEquals(stored, ManifestFromJson.manifest(json));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.textValue()));
        return out;
    }

    private static List<String> viewIds(JsonNode views) {
        List<String> out = new ArrayList<>();
        views.forEach(v -> out.add(v.get("sst").get("id").textValue()));
        return out;
    }
}
