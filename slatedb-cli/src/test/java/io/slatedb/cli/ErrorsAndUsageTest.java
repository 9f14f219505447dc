package io.slatedb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes and error lines: 1 and one {@code error:} line for failures, 2 for a wrong command line. */
@Timeout(60)
class ErrorsAndUsageTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"show", "list"})
    void missingDatabaseExitsOneWithOneLine(String command) {
        String store = GoldenDb.fileUrl(dir.resolve("empty"));
        CliRun run = CliRun.of("manifest", command, "--store", store);
        assertEquals(1, run.exitCode(), run::describe);
        assertEquals("", run.out());
        assertEquals(List.of("error: no manifest exists at db/manifest in " + store), run.errLines());
    }

    @Test
    void missingManifestIdExitsOneWithOneLine() {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun run = CliRun.of("manifest", "show", "--id", "99", "--store", db.storeUrl());
        assertEquals(1, run.exitCode(), run::describe);
        assertEquals(List.of("error: manifest 99 does not exist: no object db/manifest/00000000000000000099.manifest in "
                + db.storeUrl()), run.errLines());
    }

    @Test
    void otherPathHasNoDatabase() {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun run = CliRun.of("--path", "elsewhere/db", "manifest", "show", "--store", db.storeUrl());
        assertEquals(1, run.exitCode(), run::describe);
        assertEquals(List.of("error: no manifest exists at elsewhere/db/manifest in " + db.storeUrl()),
                run.errLines());
    }

    @Test
    void corruptManifestIsOneLineAndTheStackTraceOnlyWithVerbose() throws Exception {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        Files.write(db.file("db/manifest/00000000000000000020.manifest"), new byte[] {0, 1, 2});
        CliRun run = CliRun.of("manifest", "show", "--store", db.storeUrl());
        assertEquals(1, run.exitCode(), run::describe);
        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.err().startsWith("error: corrupt object db/manifest/00000000000000000020.manifest: "),
                run::describe);

        CliRun verbose = CliRun.of("manifest", "show", "--verbose", "--store", db.storeUrl());
        assertEquals(1, verbose.exitCode(), verbose::describe);
        assertEquals(run.errLines().get(0), verbose.errLines().get(0));
        assertTrue(verbose.errLines().size() > 3, verbose::describe);
        assertTrue(verbose.err().contains("\tat io.slatedb.manifest.ManifestCodec.decode"), verbose::describe);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                   // no command
            "manifest",                           // no subcommand
            "manifest bogus",                     // unknown subcommand
            "manifest show --bogus",              // unknown option
            "manifest show --id",                 // missing value
            "manifest show --id abc",
            "manifest show --id -1",
            "manifest show --id 0",
            "manifest show --id 18446744073709551616",
            "manifest list --start 5 --end 3",
            "manifest show --store relative/dir",
            "manifest show --store ftp://host/x",
            "manifest show --store memory:///x"})
    void usageErrorsExitTwoWithOneLine(String args) {
        CliRun run = CliRun.of(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(2, run.exitCode(), run::describe);
        assertEquals("", run.out(), run::describe);
        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.err().startsWith("error: "), run::describe);
        assertTrue(run.err().strip().endsWith(" --help')"), run::describe);
    }

    @Test
    void helpAndVersionExitZero() {
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.exitCode(), help::describe);
        assertTrue(help.out().startsWith("Usage: slatedb "), help::describe);
        for (String option : List.of("--store", "--path", "--json", "--verbose", "--help")) {
            assertTrue(help.out().contains(option), option);
        }
        CliRun showHelp = CliRun.of("manifest", "show", "--help");
        assertEquals(0, showHelp.exitCode(), showHelp::describe);
        assertTrue(showHelp.out().startsWith("Usage: slatedb manifest show "), showHelp::describe);
        for (String option : List.of("--store", "--path", "--json", "--verbose", "--id", "--hex")) {
            assertTrue(showHelp.out().contains(option), option);
        }
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exitCode(), version::describe);
        assertTrue(version.out().startsWith("slatedb (SlateDB for the JVM) "), version::describe);
    }

    @Test
    void everyNewCommandHasHelp() {
        for (String[] command : List.of(new String[] {"gc", "run"}, new String[] {"compact"},
                new String[] {"clone", "create"}, new String[] {"db", "delete"}, new String[] {"quickstart"},
                new String[] {"gc"}, new String[] {"clone"}, new String[] {"db"})) {
            String[] args = Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRun help = CliRun.of(args);
            assertEquals(0, help.exitCode(), help::describe);
            assertTrue(help.out().startsWith("Usage: slatedb " + String.join(" ", command) + " "), help::describe);
        }
        String rootHelp = CliRun.of("--help").out();
        for (String command : List.of("quickstart", "gc", "compact", "clone", "db")) {
            assertTrue(rootHelp.contains("  " + command + " "), command);
        }
    }

    @Test
    void databasePathsMayEqualCommandNames() {
        String store = GoldenDb.fileUrl(dir);
        for (String path : List.of("db", "gc", "quickstart")) {
            CliRun run = CliRun.of("--store", store, "--path", path, "get", "k");
            assertEquals(1, run.exitCode(), run::describe);
            assertEquals(List.of("error: no manifest exists at " + path + "/manifest in " + store), run.errLines());
        }
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        GoldenDb db = GoldenDb.copy("compacted", dir);
        CliRun before = CliRun.of("--store", db.storeUrl(), "--path", "db", "--json", "manifest", "show");
        CliRun middle = CliRun.of("manifest", "--store", db.storeUrl(), "--json", "show", "--path", "db");
        CliRun after = CliRun.of("manifest", "show", "--json", "--path", "db", "--store", db.storeUrl());
        assertEquals(0, before.exitCode(), before::describe);
        assertEquals(before, middle);
        assertEquals(before, after);
    }
}
