package io.slatedb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --path} is checked as a usage error before the store is touched; read-only commands write
 * nothing, not even into a store directory that does not exist; error lines speak in words, never in
 * Java class names.
 */
@Timeout(120)
class PathsAndReadOnlyTest {

    /** A qualified Java class name, or the simple name of an exception or error. */
    static final Pattern JAVA_CLASS_NAME = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|com|org|io|net|software|picocli)(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z]\\w*"
                    + "|\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b");

    @TempDir
    Path dir;

    private Path missing() {
        return dir.resolve("missing");
    }

    private String missingStore() {
        return GoldenDb.fileUrl(missing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "/", "db/", "a//b", "..", "a/./b", "./db"})
    void aBadPathIsAUsageErrorNamingPathBeforeTheStoreIsOpened(String path) {
        for (String[] args : List.of(
                new String[] {"--path", path, "get", "k", "--store", missingStore()},
                new String[] {"put", "k", "v", "--path", path, "--store", missingStore()},
                new String[] {"db", "delete", "--confirm", "--store", missingStore(), "--path", path})) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), run::describe);
            assertEquals("", run.out(), run::describe);
            assertEquals(1, run.errLines().size(), run::describe);
            assertTrue(run.err().startsWith("error: Invalid value for option '--path': invalid database path \""),
                    run::describe);
            assertFalse(JAVA_CLASS_NAME.matcher(run.err()).find(), run::describe);
            assertFalse(Files.exists(missing()), "nothing is created: " + run.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"get k", "scan", "scan --prefix k", "manifest show", "manifest list", "checkpoint list",
            "db delete", "gc run --dry-run", "--path a/b get k"})
    void readOnlyCommandsOnAMissingDirectoryFailAndLeaveNothingBehind(String command) throws Exception {
        CliRun run = CliRun.onStore(missingStore(), command.split(" "));
        assertEquals(1, run.exitCode(), run::describe);
        assertEquals("", run.out(), run::describe);
        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.err().startsWith("error: no "), run::describe);
        assertTrue(run.err().contains(missingStore()), "names the store: " + run.describe());
        assertFalse(Files.exists(missing()), "no directory or file left behind: " + run.describe());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void readOnlyCommandsOnAnExistingDatabaseWriteNothing() throws Exception {
        Path store = dir.resolve("store");
        String url = GoldenDb.fileUrl(store);
        CliRun.okOnStore(url, "put", "k", "v");
        List<String> before = files(store);
        for (String command : List.of("get k", "scan", "manifest show", "manifest list", "checkpoint list",
                "db delete", "gc run --dry-run")) {
            CliRun.okOnStore(url, command.split(" "));
            assertEquals(before, files(store), command + " wrote");
        }
    }

    @Test
    void noErrorLineShowsAJavaClassName() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        GoldenDb golden = GoldenDb.copy("compacted", dir.resolve("golden"));
        Files.write(golden.file("db/manifest/00000000000000000020.manifest"), new byte[] {0, 1, 2});
        List<String[]> failing = new ArrayList<>();
        for (String command : List.of("get k", "scan", "manifest show", "manifest show --id 99", "checkpoint list",
                "checkpoint delete 00000000-0000-0000-0000-000000000000", "db delete", "gc run --dry-run",
                "compact", "manifest show --bogus", "get", "checkpoint delete not-a-uuid",
                "clone create --source /abs", "manifest list --start 5 --end 3")) {
            failing.add(onStore(missingStore(), command));
        }
        failing.add(onStore(GoldenDb.fileUrl(notADirectory.resolve("sub")), "put k v"));
        failing.add(onStore(GoldenDb.fileUrl(notADirectory), "get k"));
        failing.add(onStore(golden.storeUrl(), "manifest show"));
        failing.add(onStore(golden.storeUrl(), "get k"));
        failing.add(onStore("ftp://host/x", "get k"));
        failing.add(onStore("relative/dir", "get k"));
        failing.add(new String[] {"--path", "/abs", "get", "k"});
        for (String[] args : failing) {
            CliRun run = CliRun.of(args);
            assertTrue(run.exitCode() == 1 || run.exitCode() == 2, run::describe);
            assertTrue(run.err().startsWith("error: "), run::describe);
            assertFalse(JAVA_CLASS_NAME.matcher(run.err()).find(), String.join(" ", args) + ": " + run.describe());
        }
    }

    private static String[] onStore(String url, String command) {
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        args.add("--store");
        args.add(url);
        return args.toArray(String[]::new);
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
