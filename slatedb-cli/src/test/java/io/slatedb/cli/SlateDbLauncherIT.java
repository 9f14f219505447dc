package io.slatedb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./slatedb} launcher at the repository root, run as a process from another directory after
 * the jar is packaged (so it runs the jar without building): it passes arguments, output and exit codes
 * through, and the default store is {@code ./data} of the working directory.
 */
@Timeout(180)
class SlateDbLauncherIT {

    private static final long PROCESS_TIMEOUT_SECONDS = 120;

    @TempDir
    Path workingDirectory;

    private record Result(int exitCode, String out, String err) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("slatedb.repository.root", "..")).toAbsolutePath().normalize()
                .resolve("slatedb");
        assertTrue(Files.isExecutable(launcher), launcher + " is not executable");
        Path out = workingDirectory.resolve("launcher.out");
        Path err = workingDirectory.resolve("launcher.err");
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(launcher.toString());
        builder.command().addAll(List.of(args));
        Process process = builder.directory(workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("./slatedb " + String.join(" ", args) + " did not finish in "
                    + PROCESS_TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpRunsTheCommandFromAnyDirectory() throws Exception {
        Result help = launch("--help");
        assertEquals(0, help.exitCode(), help::describe);
        assertTrue(help.out().startsWith("Usage: slatedb "), help::describe);
        assertTrue(help.out().contains("manifest"), help::describe);
        assertEquals("", help.err(), help::describe);
    }

    @Test
    void exitCodesPassThroughAndTheDefaultStoreIsDataInTheWorkingDirectory() throws Exception {
        Result usage = launch("manifest", "bogus");
        assertEquals(2, usage.exitCode(), usage::describe);
        assertTrue(usage.err().startsWith("error: "), usage::describe);

        Result missing = launch("manifest", "show");
        assertEquals(1, missing.exitCode(), missing::describe);
        String store = GlobalOptions.defaultStoreUrl(workingDirectory.toRealPath());
        assertEquals("error: no manifest exists at db/manifest in " + store + "\n", missing.err(), missing::describe);
        assertFalse(Files.exists(workingDirectory.resolve("data")), "a read creates no store directory");

        Result put = launch("put", "k", "v");
        assertEquals(0, put.exitCode(), put::describe);
        assertTrue(Files.isDirectory(workingDirectory.resolve("data/db/manifest")), "a write creates the default store");
    }
}
