package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slatedb.Db;
import io.slatedb.KeyValue;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code slatedb put|get|delete|scan} run as commands against a database in a local directory. */
@Timeout(60)
class DataCommandsTest {

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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What another process sees after the commands closed the database. */
    private byte[] stored(byte[] key) {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.open("db", objects)) {
            return db.get(key);
        }
    }

    @Test
    void putGetDeleteRoundTrip() {
        CliRun put = ok("put", "user:1", "Ada Lovelace");
        assertEquals(List.of("put user:1 (seq 1)"), put.outLines());
        assertArrayEquals(utf8("Ada Lovelace"), stored(utf8("user:1")));

        assertEquals(List.of("Ada Lovelace"), ok("get", "user:1").outLines());

        CliRun delete = ok("delete", "user:1");
        assertTrue(delete.out().startsWith("deleted user:1 (seq "), delete::describe);
        assertNull(stored(utf8("user:1")));

        CliRun missing = run("get", "user:1");
        assertEquals(1, missing.exitCode(), missing::describe);
        assertEquals("", missing.out());
        assertEquals(List.of("error: key user:1 not found"), missing.errLines());
    }

    @Test
    void putWithTtlStoresAnExpiry() {
        ok("put", "session", "token", "--ttl", "1h");
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.open("db", objects)) {
            KeyValue kv = db.getKeyValue(utf8("session"));
            assertEquals(3_600_000L, kv.expireTs().orElseThrow() - kv.createTs());
        }
    }

    @Test
    void hexKeysAndValuesRoundTrip() {
        ok("put", "--hex", "00ff10", "DEADbeef");
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
                stored(new byte[] {0, (byte) 0xff, 0x10}));
        assertEquals(List.of("deadbeef"), ok("get", "--hex", "00ff10").outLines());
        // Without --hex, bytes that are not printable UTF-8 print as 0x and hex.
        assertEquals(List.of("0x00ff10\t0xdeadbeef"), ok("scan").outLines());
        assertEquals(List.of("00ff10\tdeadbeef"), ok("scan", "--hex").outLines());
    }

    @Test
    void badHexIsAUsageError() {
        CliRun run = run("put", "--hex", "xyz", "00");
        assertEquals(2, run.exitCode(), run::describe);
        assertEquals(List.of("error: KEY is not a hex string: 'xyz' (see 'slatedb put --help')"), run.errLines());
    }

    @Test
    void scanRangesPrefixesAndLimits() {
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.open("db", objects)) {
            for (String key : List.of("a:1", "a:2", "a:3", "b:1", "b:2", "c:1")) {
                db.put(utf8(key), utf8("v-" + key));
            }
        }
        assertEquals(List.of("a:1\tv-a:1", "a:2\tv-a:2", "a:3\tv-a:3", "b:1\tv-b:1", "b:2\tv-b:2", "c:1\tv-c:1"),
                ok("scan").outLines());
        assertEquals(List.of("a:3\tv-a:3", "b:1\tv-b:1"), ok("scan", "--start", "a:3", "--end", "b:2").outLines());
        assertEquals(List.of("b:1\tv-b:1", "b:2\tv-b:2"), ok("scan", "--prefix", "b:").outLines());
        assertEquals(List.of("a:1\tv-a:1", "a:2\tv-a:2"), ok("scan", "--limit", "2").outLines());
        assertEquals(List.of(), ok("scan", "--prefix", "z").outLines());
    }

    @Test
    void jsonShapes() throws Exception {
        JsonNode put = JSON.readTree(ok("--json", "put", "k", "v").out());
        assertEquals("k", put.get("key").asText());
        assertEquals("6b", put.get("key_hex").asText());
        assertEquals("v", put.get("value").asText());
        assertEquals("76", put.get("value_hex").asText());
        assertEquals(1, put.get("seq").asLong());

        ok("put", "--hex", "6b32", "ff");
        JsonNode get = JSON.readTree(ok("get", "k2", "--json").out());
        assertTrue(get.get("found").asBoolean());
        assertTrue(get.get("value").isNull(), "0xff is not UTF-8, so only value_hex has it");
        assertEquals("ff", get.get("value_hex").asText());

        JsonNode scan = JSON.readTree(ok("scan", "--json", "--limit", "1").out());
        assertEquals(1, scan.get("count").asLong());
        assertTrue(scan.get("more").asBoolean());
        assertEquals("k", scan.get("rows").get(0).get("key").asText());
        assertEquals("v", scan.get("rows").get(0).get("value").asText());
        JsonNode all = JSON.readTree(ok("scan", "--json").out());
        assertEquals(2, all.get("rows").size());
        assertFalse(all.get("more").asBoolean());

        JsonNode delete = JSON.readTree(ok("delete", "k", "--json").out());
        assertEquals("k", delete.get("key").asText());
        assertTrue(delete.get("seq").asLong() > 1);

        CliRun missing = run("get", "k", "--json");
        assertEquals(1, missing.exitCode(), missing::describe);
        JsonNode absent = JSON.readTree(missing.out());
        assertFalse(absent.get("found").asBoolean());
        assertTrue(absent.get("value").isNull());
        assertTrue(absent.get("value_hex").isNull());
    }

    @Test
    void readsOfAMissingDatabaseFailWithoutCreatingIt() {
        for (String[] args : List.of(new String[] {"get", "k"}, new String[] {"scan"})) {
            CliRun run = run(args);
            assertEquals(1, run.exitCode(), run::describe);
            assertEquals(List.of("error: no manifest exists at db/manifest in " + store), run.errLines());
        }
        assertFalse(Files.exists(dir.resolve("db")));
    }

    @Test
    void settingsFromSetAndFile() throws Exception {
        Path file = dir.resolve("slatedb.properties");
        Files.writeString(file, "flush_interval=10ms\ncompactor_options=none\n");
        ok("put", "k", "v", "--settings", file.toString(), "--set", "l0_sst_size_bytes=1MiB");
        ok("delete", "k", "--set", "garbage_collector_options=none");
        assertEquals(List.of(), ok("scan").outLines());
    }

    @Test
    void unknownOrInvalidSettingsAreUsageErrorsNamingTheSetting() throws Exception {
        CliRun unknown = run("put", "k", "v", "--set", "flush_intervall=10ms");
        assertEquals(2, unknown.exitCode(), unknown::describe);
        assertEquals(List.of("error: invalid --set: unknown setting \"flush_intervall\" (see 'slatedb put --help')"),
                unknown.errLines());

        CliRun invalid = run("delete", "k", "--set", "flush_interval=fast");
        assertEquals(2, invalid.exitCode(), invalid::describe);
        assertTrue(invalid.err().startsWith("error: invalid --set: invalid setting flush_interval=\"fast\": "),
                invalid::describe);

        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "l0_max_ssts=0\n");
        CliRun badFile = run("delete", "k", "--settings", file.toString());
        assertEquals(2, badFile.exitCode(), badFile::describe);
        assertTrue(badFile.err().startsWith("error: invalid --settings " + file + ": invalid setting l0_max_ssts"),
                badFile::describe);

        CliRun noFile = run("put", "k", "v", "--settings", dir.resolve("absent.properties").toString());
        assertEquals(2, noFile.exitCode(), noFile::describe);
        assertFalse(Files.exists(dir.resolve("db")), "nothing is opened when the settings are wrong");
    }

    @Test
    void usageErrors() {
        CliRun missingValue = run("put", "k");
        assertEquals(2, missingValue.exitCode(), missingValue::describe);
        assertTrue(missingValue.err().startsWith("error: Missing required parameter: 'VALUE'"), missingValue::describe);

        CliRun both = run("scan", "--prefix", "a", "--start", "b");
        assertEquals(2, both.exitCode(), both::describe);
        assertEquals(List.of("error: --prefix cannot be combined with --start or --end (see 'slatedb scan --help')"),
                both.errLines());
    }

    @Test
    void helpExitsZero() {
        for (String command : List.of("put", "delete")) {
            CliRun help = CliRun.of(command, "--help");
            assertEquals(0, help.exitCode(), help::describe);
            assertTrue(help.out().contains("--set=NAME=VALUE"), help::describe);
        }
        for (String command : List.of("get", "scan")) {
            CliRun help = CliRun.of(command, "--help");
            assertEquals(0, help.exitCode(), help::describe);
            assertTrue(help.out().contains("--checkpoint=ID"), help::describe);
        }
    }
}
