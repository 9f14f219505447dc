package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.DbReader;
import io.slatedb.DbReaderMode;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slatedb quickstart}: its output, the databases it leaves behind, and reruns. */
@Timeout(120)
class QuickstartCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void storeUrl() {
        store = GoldenDb.fileUrl(dir);
    }

    private CliRun ok(String... args) {
        return CliRun.okOnStore(store, args);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void printsEachStepAndLeavesASourceAndADivergedClone() {
        List<String> lines = ok("quickstart").outLines();
        assertEquals(8, lines.size(), String.join("\n", lines));
        assertEquals("Quickstart in " + store + " (databases quickstart and quickstart-clone, recreated on every run)",
                lines.get(0));
        assertEquals("1. wrote 300 keys (key-000 .. key-299) to quickstart and flushed them to 1 L0 SST",
                lines.get(1));
        assertTrue(lines.get(2).matches("2\\. checkpoint [0-9a-f-]{36} of quickstart pins its manifest \\d+"),
                lines.get(2));
        assertEquals("3. cloned that checkpoint to quickstart-clone: it reads 1 SST of quickstart in place,"
                + " copying none", lines.get(3));
        assertEquals("4. wrote 20 keys (clone-000 .. clone-019) to quickstart-clone and changed key-000 there",
                lines.get(4));
        assertEquals("5. a DbReader of quickstart sees 300 keys, 0 of them clone-*, key-000 = value-000",
                lines.get(5));
        assertEquals("6. a DbReader of quickstart-clone sees 320 keys, 20 of them clone-*, key-000 = changed-in-clone",
                lines.get(6));
        assertEquals("Next: slatedb --store " + store + " --path quickstart-clone scan --prefix clone- --limit 3",
                lines.get(7));

        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir)) {
            UUID checkpoint = UUID.fromString(lines.get(2).split(" ")[2]);
            try (Admin source = Admin.builder("quickstart", objects).build()) {
                assertTrue(source.listCheckpoints().stream().map(CheckpointInfo::id).toList().contains(checkpoint));
            }
            try (DbReader source = DbReader.builder("quickstart", objects)
                    .withReaderMode(DbReaderMode.FOLLOW_LATEST).build();
                 DbReader clone = DbReader.builder("quickstart-clone", objects)
                         .withReaderMode(DbReaderMode.FOLLOW_LATEST).build()) {
                assertArrayEquals(utf8("value-299"), source.get(utf8("key-299")));
                assertNull(source.get(utf8("clone-019")));
                assertArrayEquals(utf8("clone-value-019"), clone.get(utf8("clone-019")));
                assertArrayEquals(utf8("value-299"), clone.get(utf8("key-299")));
                assertArrayEquals(utf8("changed-in-clone"), clone.get(utf8("key-000")));
            }
        }
        assertEquals(List.of("clone-000\tclone-value-000", "clone-001\tclone-value-001", "clone-002\tclone-value-002"),
                ok("--path", "quickstart-clone", "scan", "--prefix", "clone-", "--limit", "3").outLines());
    }

    @Test
    void rerunsStartFromScratchAndJsonReportsTheSameFacts() throws Exception {
        ok("quickstart", "--path", "tour");
        ok("--path", "tour-clone", "put", "left-over", "x");

        JsonNode json = JSON.readTree(ok("--path", "tour", "quickstart", "--json").out());
        assertEquals("tour", json.get("source").asText());
        assertEquals("tour-clone", json.get("clone").asText());
        assertTrue(json.get("deleted_objects").asInt() > 0);
        assertEquals(300, json.get("source_keys_written").asInt());
        assertEquals(1, json.get("shared_ssts").asInt());
        JsonNode source = json.get("views").get("tour");
        JsonNode clone = json.get("views").get("tour-clone");
        assertEquals(300, source.get("keys").asLong());
        assertEquals(0, source.get("clone_keys").asLong());
        assertEquals("value-000", source.get("changed_key_value").asText());
        assertEquals(320, clone.get("keys").asLong(), "the left-over key of the earlier run is gone");
        assertEquals(20, clone.get("clone_keys").asLong());
        assertEquals("changed-in-clone", clone.get("changed_key_value").asText());
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Admin admin = Admin.builder("tour", objects).build()) {
            // One checkpoint from this run and the clone's pin; those of the first run went with its database.
            assertEquals(2, admin.listCheckpoints().size(), admin.listCheckpoints()::toString);
        }
        assertTrue(Files.isDirectory(dir.resolve("tour-clone/manifest")));
    }
}
