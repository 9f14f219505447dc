package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.Settings;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slatedb gc run|compact|clone create|db delete} run as commands against databases in a local directory. */
@Timeout(120)
class MaintenanceCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void storeUrl() {
        store = GoldenDb.fileUrl(dir);
    }

    private CliRun run(String... args) {
        return CliRun.onStore(store, args);
    }

    private CliRun ok(String... args) {
        return CliRun.okOnStore(store, args);
    }

    private CliRun fails(int exitCode, String... args) {
        CliRun run = run(args);
        assertEquals(exitCode, run.exitCode(), run::describe);
        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.err().startsWith("error: "), run::describe);
        return run;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code flushes} L0 SSTs of 10 keys each to the database at {@code path}, with no compactor
     * running, and returns a never-expiring checkpoint of the result.
     */
    private UUID writeL0s(String path, int flushes) {
        Settings settings = Settings.DEFAULT.withOverrides(Map.of("compactor_options", "none"));
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.builder(path, objects).withSettings(settings).build()) {
            for (int f = 0; f < flushes; f++) {
                for (int i = 0; i < 10; i++) {
                    db.put(utf8("k" + f + "-" + i), utf8("v" + f + "-" + i));
                }
                db.flush(FlushType.MEMTABLE);
            }
            return db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT).id();
        }
    }

    private List<String> objects(String subdirectory) throws IOException {
        Path root = dir.resolve(subdirectory);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void gcDryRunListsAndRunDeletes() throws Exception {
        writeL0s("db", 3);
        List<String> manifestsBefore = objects("db/manifest");
        assertTrue(manifestsBefore.size() > 2, manifestsBefore::toString);

        // Everything is younger than the default minimum age of 5 minutes.
        CliRun young = ok("gc", "run", "--resource", "manifest");
        assertEquals(List.of("collected: manifest 0"), young.outLines());

        CliRun dryRun = ok("gc", "run", "--dry-run", "--min-age", "0s", "--resource", "manifest");
        List<String> listed = dryRun.outLines().stream().filter(l -> l.startsWith("would delete ")).toList();
        assertFalse(listed.isEmpty(), dryRun::describe);
        assertEquals("dry run: manifest " + listed.size(), dryRun.outLines().get(dryRun.outLines().size() - 1));
        assertEquals(manifestsBefore, objects("db/manifest"), "a dry run deletes nothing");

        JsonNode json = JSON.readTree(ok("gc", "run", "--min-age", "0s", "--resource", "manifest", "--json").out());
        assertFalse(json.get("dry_run").asBoolean());
        JsonNode paths = json.get("tasks").get("manifest").get("paths");
        assertEquals(listed.size(), paths.size());
        assertEquals(listed.size(), json.get("total").asInt());
        for (JsonNode path : paths) {
            assertTrue(listed.contains("would delete " + path.asText()), path::asText);
            assertFalse(Files.exists(dir.resolve(path.asText())), path::asText);
        }
        // The latest manifest and the checkpoint's stay, so the data is still readable.
        assertEquals("v2-9", ok("get", "k2-9").out().strip());
        assertEquals("v0-0", ok("get", "k0-0").out().strip());

        CliRun all = ok("gc", "run", "--min-age", "0s");
        assertTrue(all.outLines().get(all.outLines().size() - 1).matches(
                "collected: manifest \\d+, wal \\d+, wal-fence \\d+ \\(listed only\\), compacted \\d+,"
                        + " compactions \\d+, detach \\d+"), all::describe);
    }

    @Test
    void gcErrors() {
        assertTrue(fails(1, "gc", "run").err().contains("no manifest exists at db/manifest"));
        assertEquals(List.of("error: Invalid value for option '--resource' (KIND): unknown resource 'sst': choose one"
                        + " of manifest, wal, wal-fence, compacted, compactions (see 'slatedb gc run --help')"),
                fails(2, "gc", "run", "--resource", "sst").errLines());
        fails(2, "gc", "run", "--min-age", "soon");
        fails(2, "gc");
        assertFalse(Files.exists(dir.resolve("db")));
    }

    @Test
    void compactMergesL0IntoASortedRun() throws Exception {
        writeL0s("db", 4);
        CliRun compact = ok("compact");
        assertTrue(compact.out().matches("ran 1 compaction, wrote \\d+ bytes: L0 SSTs 4 -> 0, sorted runs 0 -> 1\\R"),
                compact::describe);
        assertEquals(40, ok("scan").outLines().size());

        JsonNode again = JSON.readTree(ok("compact", "--json").out());
        assertEquals(0, again.get("compactions").asLong());
        assertEquals(0, again.get("l0_ssts_after").asInt());
        assertEquals(1, again.get("sorted_runs_after").asInt());
    }

    @Test
    void compactWhileAWriterWithItsOwnCompactorRunsLeavesTheWriterWriting() {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.open("db", objects)) {
            db.put(utf8("before"), utf8("1"));
            db.flush(FlushType.MEMTABLE);
            ok("compact");
            db.put(utf8("after"), utf8("2"));
            db.flush(FlushType.MEMTABLE);
            assertEquals(List.of("after\t2", "before\t1"), ok("scan").outLines());
        }
    }

    @Test
    void compactHonoursTheSchedulerSettingAndReportsErrors() {
        writeL0s("db", 2);
        assertEquals(List.of("nothing to compact: L0 SSTs 2 -> 2, sorted runs 0 -> 0"), ok("compact").outLines());
        CliRun two = ok("compact", "--set", "compactor_options.scheduler_options.min_compaction_sources=2");
        assertTrue(two.out().contains("L0 SSTs 2 -> 0, sorted runs 0 -> 1"), two::describe);

        fails(1, "compact", "--path", "absent");
        fails(2, "compact", "--set", "compactor_options.max_sst_size=0");
    }

    @Test
    void cloneCreateFromACheckpoint() throws Exception {
        UUID checkpoint = writeL0s("src", 1);
        CliRun clone = ok("--path", "dst", "clone", "create", "--source", "src", "--checkpoint", checkpoint.toString());
        assertTrue(clone.outLines().get(0).startsWith("created clone dst of src at checkpoint " + checkpoint),
                clone::describe);
        assertTrue(clone.outLines().get(1).startsWith("  reads 1 SST of src, pinned by its checkpoint "),
                clone::describe);
        assertEquals("v0-3", ok("--path", "dst", "get", "k0-3").out().strip());
        ok("--path", "dst", "put", "only-in-clone", "x");
        fails(1, "--path", "src", "get", "only-in-clone");

        // A rerun validates the finished clone and changes nothing.
        JsonNode again = JSON.readTree(ok("--path", "dst", "clone", "create", "--source", "src", "--checkpoint",
                checkpoint.toString(), "--json").out());
        assertEquals("dst", again.get("path").asText());
        assertEquals("src", again.get("external_dbs").get(0).get("path").asText());
        assertEquals(1, again.get("external_dbs").get(0).get("ssts").asInt());

        // Without --checkpoint: the source's latest manifest.
        assertTrue(ok("--path", "dst2", "clone", "create", "--source", "src").out().startsWith(
                "created clone dst2 of src (manifest "));
        assertEquals("v0-9", ok("--path", "dst2", "get", "k0-9").out().strip());
    }

    @Test
    void cloneCreateErrors() {
        writeL0s("src", 1);
        assertTrue(fails(2, "--path", "dst", "clone", "create").err()
                .startsWith("error: Missing required option: '--source=SOURCE_PATH'"));
        fails(1, "--path", "dst", "clone", "create", "--source", "absent");
        fails(1, "--path", "dst", "clone", "create", "--source", "src", "--checkpoint", UUID.randomUUID().toString());
        fails(1, "--path", "src", "clone", "create", "--source", "src");
        fails(2, "--path", "dst", "clone", "create", "--source", "src", "--checkpoint", "42");
        fails(2, "clone");
    }

    @Test
    void dbDeleteLeavesNestedAndNeighbouringDatabasesAlone() throws Exception {
        for (String path : List.of("a", "a/b", "a2", "ab")) {
            writeL0s(path, 1);
        }
        List<String> nested = objects("a/b");
        List<String> ofA = objects("a").stream().filter(p -> !nested.contains(p)).toList();
        List<String> neighbours = Stream.of(objects("a2"), objects("ab")).flatMap(List::stream).toList();
        assertEquals(ofA.stream().map(p -> "would delete " + p).toList(),
                ok("--path", "a", "db", "delete").outLines().subList(0, ofA.size()));
        ok("--path", "a", "db", "delete", "--confirm");
        assertEquals(nested, objects("a"), "only a/b is left under a/");
        assertEquals(neighbours, Stream.of(objects("a2"), objects("ab")).flatMap(List::stream).toList());
        for (String path : List.of("a/b", "a2", "ab")) {
            assertEquals(List.of("v0-0"), ok("--path", path, "get", "k0-0").outLines(), path);
        }
    }

    @Test
    void dbDeleteIsADryRunWithoutConfirm() throws Exception {
        writeL0s("db", 1);
        List<String> before = objects("db");
        CliRun dryRun = ok("db", "delete");
        List<String> lines = dryRun.outLines();
        assertEquals(before.stream().map(p -> "would delete " + p).toList(), lines.subList(0, lines.size() - 1));
        assertEquals("dry run: would delete " + before.size() + " objects of db (add --confirm to delete them)",
                lines.get(lines.size() - 1));
        assertEquals(before, objects("db"));

        JsonNode deleted = JSON.readTree(ok("db", "delete", "--confirm", "--json").out());
        assertFalse(deleted.get("dry_run").asBoolean());
        assertEquals(before.size(), deleted.get("objects").size());
        assertEquals(List.of(), objects("db"));
        fails(1, "get", "k0-0");
        assertEquals(List.of("no objects at db"), ok("db", "delete", "--confirm").outLines());
        assertEquals("error: no database at db in " + store + ": it has no objects", fails(1, "db", "delete").err().strip());
        fails(2, "db");
        fails(2, "db", "delete", "--force");
    }
}
