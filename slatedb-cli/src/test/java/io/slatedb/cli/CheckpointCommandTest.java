package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slatedb checkpoint create|list|refresh|delete} run as commands against a database in a local directory. */
@Timeout(60)
class CheckpointCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void createDatabase() {
        store = GoldenDb.fileUrl(dir);
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.open("db", objects)) {
            db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            db.flush(FlushType.MEMTABLE);
        }
    }

    private CliRun run(String... args) {
        return CliRun.onStore(store, args);
    }

    private List<CheckpointInfo> stored() {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Admin admin = Admin.builder("db", objects).build()) {
            return admin.listCheckpoints();
        }
    }

    private long latestManifestId() {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Admin admin = Admin.builder("db", objects).build()) {
            return admin.readManifest().orElseThrow().id();
        }
    }

    @Test
    void createListRefreshDeleteAsText() {
        long before = latestManifestId();
        Instant start = Instant.now();
        CliRun create = run("checkpoint", "create", "--lifetime", "1h 30min", "--name", "nightly");
        assertEquals(0, create.exitCode(), create::describe);
        assertEquals("", create.err());
        CheckpointInfo stored = stored().get(0);
        assertEquals(List.of("created checkpoint " + stored.id() + " (pins manifest " + (before + 1) + ")"),
                create.outLines());
        assertEquals(before + 1, stored.manifestId());
        assertEquals("nightly", stored.name());
        assertEquals(Duration.ofMinutes(90), Duration.between(stored.createTime(), stored.expireTime()));
        assertTrue(!stored.createTime().isBefore(start.minusSeconds(1)));

        CliRun list = run("checkpoint", "list");
        assertEquals(0, list.exitCode(), list::describe);
        assertEquals(List.of("ID", "MANIFEST", "CREATED", "EXPIRES", "NAME"), List.of(list.outLines().get(0).split(" +")));
        assertEquals(List.of(stored.id().toString(), Long.toString(before + 1), stored.createTime().toString(),
                stored.expireTime().toString(), "nightly"), List.of(list.outLines().get(1).split(" +")));

        CliRun refresh = run("checkpoint", "refresh", stored.id().toString());
        assertEquals(0, refresh.exitCode(), refresh::describe);
        assertEquals(List.of("refreshed checkpoint " + stored.id() + ": expires never"), refresh.outLines());
        assertNull(stored().get(0).expireTime());

        CliRun refreshAgain = run("checkpoint", "refresh", stored.id().toString(), "--lifetime", "2d");
        assertEquals(0, refreshAgain.exitCode(), refreshAgain::describe);
        CheckpointInfo refreshed = stored().get(0);
        assertEquals(List.of("refreshed checkpoint " + stored.id() + ": expires at " + refreshed.expireTime()),
                refreshAgain.outLines());

        CliRun delete = run("checkpoint", "delete", stored.id().toString());
        assertEquals(0, delete.exitCode(), delete::describe);
        assertEquals(List.of("deleted checkpoint " + stored.id()), delete.outLines());
        assertTrue(stored().isEmpty());

        CliRun deleteAgain = run("checkpoint", "delete", stored.id().toString());
        assertEquals(0, deleteAgain.exitCode(), deleteAgain::describe);
        assertEquals(List.of("checkpoint " + stored.id() + " does not exist; nothing deleted"), deleteAgain.outLines());

        CliRun empty = run("checkpoint", "list");
        assertEquals(List.of("no checkpoints"), empty.outLines());
    }

    @Test
    void createListRefreshDeleteAsJson() throws Exception {
        CliRun create = run("--json", "checkpoint", "create");
        assertEquals(0, create.exitCode(), create::describe);
        JsonNode created = JSON.readTree(create.out());
        UUID id = UUID.fromString(created.get("id").textValue());
        assertEquals(latestManifestId(), created.get("manifest_id").longValue());

        CliRun fromSource = run("checkpoint", "create", "--json", "--source", id.toString(), "--name", "copy",
                "--lifetime", "10m");
        assertEquals(0, fromSource.exitCode(), fromSource::describe);
        JsonNode copy = JSON.readTree(fromSource.out());
        assertEquals(created.get("manifest_id").longValue(), copy.get("manifest_id").longValue());

        CliRun list = run("checkpoint", "list", "--json");
        assertEquals(0, list.exitCode(), list::describe);
        JsonNode listed = JSON.readTree(list.out());
        assertEquals(2, listed.size());
        assertEquals(id.toString(), listed.get(0).get("id").textValue());
        assertEquals(0, listed.get(0).get("expire_time_s").longValue());
        assertTrue(listed.get(0).get("expire_time").isNull());
        assertTrue(listed.get(0).get("name").isNull());
        JsonNode second = listed.get(1);
        assertEquals("copy", second.get("name").textValue());
        assertEquals(600, second.get("expire_time_s").longValue() - second.get("create_time_s").longValue());
        assertEquals(Instant.ofEpochSecond(second.get("expire_time_s").longValue()),
                Instant.parse(second.get("expire_time").textValue()));

        CliRun named = run("checkpoint", "list", "--json", "--name", "copy");
        assertEquals(1, JSON.readTree(named.out()).size());
        CliRun unnamed = run("checkpoint", "list", "--json", "--name", "");
        assertEquals(id.toString(), JSON.readTree(unnamed.out()).get(0).get("id").textValue());

        // The refresh reads the clock somewhere inside the run: its expiry lies 5 min after a time between these.
        long refreshStart = Instant.now().getEpochSecond();
        CliRun refresh = run("checkpoint", "refresh", "--json", id.toString(), "--lifetime", "5m");
        long refreshEnd = Instant.now().getEpochSecond();
        assertEquals(0, refresh.exitCode(), refresh::describe);
        JsonNode refreshed = JSON.readTree(refresh.out());
        long expires = refreshed.get("expire_time_s").longValue();
        assertTrue(expires >= refreshStart + 300 && expires <= refreshEnd + 300,
                () -> "expires at " + expires + ", not 5 min after the refresh ran (" + refreshStart + ".."
                        + refreshEnd + ")");

        CliRun delete = run("--json", "checkpoint", "delete", id.toString());
        JsonNode deleted = JSON.readTree(delete.out());
        assertEquals(id.toString(), deleted.get("id").textValue());
        assertTrue(deleted.get("deleted").booleanValue());
        assertEquals(1, stored().size());
    }

    @Test
    void failuresExitOneWithOneErrorLine() {
        UUID missing = UUID.randomUUID();
        CliRun refresh = run("checkpoint", "refresh", missing.toString(), "--lifetime", "1h");
        assertEquals(1, refresh.exitCode(), refresh::describe);
        assertEquals("", refresh.out());
        assertEquals(List.of("error: checkpoint " + missing + " does not exist"), refresh.errLines());

        CliRun source = run("checkpoint", "create", "--source", missing.toString());
        assertEquals(1, source.exitCode(), source::describe);
        assertEquals(1, source.errLines().size(), source::describe);
        assertTrue(source.err().startsWith("error: source checkpoint " + missing + " does not exist"), source::describe);

        CliRun noDb = CliRun.of("checkpoint", "list", "--store", GoldenDb.fileUrl(dir.resolve("empty")));
        assertEquals(1, noDb.exitCode(), noDb::describe);
        assertEquals(1, noDb.errLines().size(), noDb::describe);
        assertTrue(stored().isEmpty());
    }

    @Test
    void rustWrittenCheckpointsAreListedAndKeptWhenOneIsAdded() throws Exception {
        GoldenDb db = GoldenDb.copy("compacted", dir.resolve("golden"));
        JsonNode before = JSON.readTree(CliRun.of("--json", "manifest", "show", "--store", db.storeUrl()).out());
        JsonNode rustCheckpoints = before.get("core").get("checkpoints");
        assertTrue(rustCheckpoints.size() > 0, "the golden database has checkpoints");

        CliRun list = CliRun.of("--json", "checkpoint", "list", "--store", db.storeUrl());
        assertEquals(0, list.exitCode(), list::describe);
        JsonNode listed = JSON.readTree(list.out());
        assertEquals(rustCheckpoints.size(), listed.size());
        for (int i = 0; i < listed.size(); i++) {
            for (String field : List.of("id", "manifest_id", "create_time_s", "expire_time_s", "name")) {
                assertEquals(rustCheckpoints.get(i).get(field), listed.get(i).get(field), field);
            }
        }

        CliRun create = CliRun.of("--json", "checkpoint", "create", "--name", "java", "--store", db.storeUrl());
        assertEquals(0, create.exitCode(), create::describe);
        JsonNode after = JSON.readTree(CliRun.of("--json", "manifest", "show", "--store", db.storeUrl()).out());
        assertEquals(before.get("id").longValue() + 1, after.get("id").longValue());
        assertEquals(after.get("id"), JSON.readTree(create.out()).get("manifest_id"));
        JsonNode afterCheckpoints = after.get("core").get("checkpoints");
        assertEquals(rustCheckpoints.size() + 1, afterCheckpoints.size());
        for (int i = 0; i < rustCheckpoints.size(); i++) {
            assertEquals(rustCheckpoints.get(i), afterCheckpoints.get(i));
        }
        // Everything but the checkpoint list is as the Rust writer and compactor left it.
        ((com.fasterxml.jackson.databind.node.ObjectNode) before.get("core")).remove("checkpoints");
        ((com.fasterxml.jackson.databind.node.ObjectNode) after.get("core")).remove("checkpoints");
        assertEquals(before.get("core"), after.get("core"));
        assertEquals(before.get("writer_epoch"), after.get("writer_epoch"));
        assertEquals(before.get("compactor_epoch"), after.get("compactor_epoch"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "checkpoint",
            "checkpoint bogus",
            "checkpoint create --lifetime",
            "checkpoint create --lifetime soon",
            "checkpoint create --lifetime 5parsecs",
            "checkpoint create --source not-a-uuid",
            "checkpoint refresh",
            "checkpoint refresh 1234",
            "checkpoint refresh 01234567-89ab-cdef-0123-456789abcdef --lifetime x",
            "checkpoint delete",
            "checkpoint delete zzzzzzzz-89ab-cdef-0123-456789abcdef",
            "checkpoint list extra",
    })
    void usageErrorsExitTwo(String commandLine) {
        CliRun usage = run(commandLine.split(" "));
        assertEquals(2, usage.exitCode(), usage::describe);
        assertEquals(1, usage.errLines().size(), usage::describe);
        assertTrue(usage.err().startsWith("error: "), usage::describe);
        assertTrue(stored().isEmpty());
    }
}
