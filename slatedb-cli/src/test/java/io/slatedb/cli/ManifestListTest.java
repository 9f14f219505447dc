package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.format.DbLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code slatedb manifest list} on a copy of the Rust-written {@code compacted} database. */
@Timeout(60)
class ManifestListTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The manifests of the golden description's file list: id and size. */
    private static List<long[]> goldenManifests(GoldenDb db) {
        List<long[]> manifests = new ArrayList<>();
        for (JsonNode file : db.description().path("files")) {
            String path = file.path("path").asText();
            DbLayout.parseManifestId(path).filter(id -> path.contains("/manifest/"))
                    .ifPresent(id -> manifests.add(new long[] {id, file.path("sizeBytes").asLong()}));
        }
        manifests.sort((a, b) -> Long.compare(a[0], b[0]));
        return manifests;
    }

    @Test
    void listsEveryManifestWithItsSizeAndModificationTime() throws Exception {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun run = CliRun.of("manifest", "list", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("", run.err());
        List<String> lines = run.outLines();
        assertEquals(List.of("ID", "SIZE", "LAST", "MODIFIED"), List.of(lines.get(0).split(" +")));
        List<long[]> expected = goldenManifests(db);
        assertEquals(19, expected.size());
        assertEquals(expected.size() + 1, lines.size(), run::describe);
        for (int i = 0; i < expected.size(); i++) {
            String[] columns = lines.get(i + 1).split(" +");
            long id = expected.get(i)[0];
            assertEquals(Long.toString(id), columns[0]);
            assertEquals(Long.toString(expected.get(i)[1]), columns[1]);
            assertEquals(lastModified(db, id), Instant.parse(columns[2]));
        }
    }

    @Test
    void startIsInclusiveAndEndExclusive() throws Exception {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun run = CliRun.of("manifest", "list", "--start", "7", "--end", "10", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        List<String> ids = run.outLines().stream().skip(1).map(l -> l.split(" +")[0]).toList();
        assertEquals(List.of("7", "8", "9"), ids);

        CliRun tail = CliRun.of("manifest", "list", "--start", "18", "--store", db.storeUrl());
        assertEquals(List.of("18", "19"), tail.outLines().stream().skip(1).map(l -> l.split(" +")[0]).toList());

        CliRun none = CliRun.of("manifest", "list", "--start", "100", "--store", db.storeUrl());
        assertEquals(0, none.exitCode(), none::describe);
        assertEquals(List.of("no manifests with ids in the requested range"), none.outLines());
    }

    @Test
    void jsonListsIdsPathsSizesAndTimes() throws Exception {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun run = CliRun.of("--json", "manifest", "list", "--end", "4", "--store", db.storeUrl());
        assertEquals(0, run.exitCode(), run::describe);
        JsonNode json = JSON.readTree(run.out());
        List<long[]> expected = goldenManifests(db).subList(0, 3);
        assertEquals(expected.size(), json.size(), run::describe);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode entry = json.get(i);
            long id = expected.get(i)[0];
            assertEquals(id, ManifestFromJson.u64(entry.get("id")));
            assertEquals(DbLayout.of("db").manifestPath(id), entry.get("path").textValue());
            assertEquals(expected.get(i)[1], entry.get("size").longValue());
            assertEquals(lastModified(db, id), Instant.parse(entry.get("last_modified").textValue()));
        }
    }

    private static Instant lastModified(GoldenDb db, long id) throws Exception {
        return Files.getLastModifiedTime(db.file(DbLayout.of(db.dbPath()).manifestPath(id))).toInstant();
    }
}
