package io.slatedb.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a bench workload on the Rust SlateDB 0.12.1 through its Node binding ({@code @slatedb/uniffi}):
 * a small script ({@code rust-bench/bench.mjs}, a resource of this class) runs the workload in a Node
 * process and prints its result as JSON. On first use the script and the binding (pinned by the
 * packaged lock file) are installed with {@code npm ci} into a cache directory: the system property
 * {@code slatedb.cli.cache}, else {@code $SLATEDB_CLI_CACHE}, else {@code $XDG_CACHE_HOME/slatedb-cli}, else
 * {@code ~/.cache/slatedb-cli}; later runs reuse it while the lock file is unchanged.
 */
final class RustSlateDbBench {

    static final String NAME = "slatedb-rust";
    static final String BINDING_VERSION = "0.12.1";

    private static final String RESOURCES = "rust-bench/";
    private static final String[] FILES = {"package.json", "package-lock.json", "bench.mjs"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INSTALL_TIMEOUT_MINUTES = 10;
    /** Settings of this engine that SlateDB sets on its builder instead (see {@link io.slatedb.Settings}). */
    private static final Set<String> EXTENSIONS = Set.of("sst_block_size", "filter_bits_per_key",
            "block_cache_bytes", "meta_cache_bytes");

    private final Path node;
    private final Path npm;
    private final Path directory;

    private RustSlateDbBench(Path node, Path npm, Path directory) {
        this.node = node;
        this.npm = npm;
        this.directory = directory;
    }

    /** The runner, or why there is none on this machine (node or npm not on the PATH). */
    static Availability locate() {
        return locate(System.getenv("PATH"));
    }

    /** {@link #locate()} with {@code pathEnv} as the PATH. */
    static Availability locate(String pathEnv) {
        Optional<Path> node = onPath("node", pathEnv);
        if (node.isEmpty()) {
            return new Availability(null, "node is not on the PATH");
        }
        Optional<Path> npm = onPath("npm", pathEnv);
        if (npm.isEmpty()) {
            return new Availability(null, "npm is not on the PATH (it installs @slatedb/uniffi)");
        }
        return new Availability(new RustSlateDbBench(node.get(), npm.get(), cacheDirectory()), null);
    }

    /** A runner, or the reason it is unavailable. */
    record Availability(RustSlateDbBench bench, String unavailableReason) {
    }

    /**
     * Runs {@code spec} on a new database at {@code path} in the store {@code storeUrl}, installing
     * the binding first when needed.
     *
     * @throws IllegalStateException when the install or the run fails, with npm's or the script's output
     */
    BenchResult run(String storeUrl, String path, BenchSpec spec, Map<String, String> sets) {
        install();
        ObjectNode job = JSON.createObjectNode()
                .put("store", storeUrl).put("path", path).put("workload", spec.workload().cliName())
                .put("num", spec.num()).put("keySize", spec.keySize()).put("valueSize", spec.valueSize())
                .put("threads", spec.threads()).put("durable", spec.durable()).put("readAhead", spec.readAhead())
                .put("fetchTasks", spec.fetchTasks()).put("seed", spec.seed()).put("from", spec.from().cliName());
        ObjectNode jobSettings = job.putObject("settings");
        // Only what --set names is passed on (the binding's defaults are SlateDB's, as ours are), as
        // the JSON values its Settings.set reads; this engine's extensions have no SlateDB setting.
        sets.forEach((name, value) -> {
            if (EXTENSIONS.contains(name)) {
                return;
            }
            if (value.isEmpty() || value.equals("none")) {
                jobSettings.putNull(name);
            } else if (value.matches("\\d+")) {
                jobSettings.put(name, Long.parseLong(value));
            } else if (value.equals("true") || value.equals("false")) {
                jobSettings.put(name, Boolean.parseBoolean(value));
            } else {
                jobSettings.put(name, value);
            }
        });
        JsonNode answer = runScript(job.toString());
        if (!answer.path("ok").asBoolean(false)) {
            throw new IllegalStateException("the Rust SlateDB bench failed: " + answer.path("error").asText());
        }
        return toResult(answer.path("result"));
    }

    private static BenchResult toResult(JsonNode result) {
        JsonNode latency = result.path("latency");
        Map<String, Long> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = result.path("details").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            details.put(entry.getKey(), entry.getValue().asLong());
        }
        return new BenchResult(NAME, result.path("ops").asLong(), result.path("bytes").asLong(),
                result.path("elapsedNs").asLong(),
                new BenchResult.Latency(latency.path("mean").asDouble(), latency.path("p50").asDouble(),
                        latency.path("p90").asDouble(), latency.path("p99").asDouble(),
                        latency.path("p999").asDouble(), latency.path("max").asDouble()),
                details);
    }

    private JsonNode runScript(String job) {
        Path stderr = directory.resolve("bench-stderr.log");
        try {
            Process process = new ProcessBuilder(node.toString(), "bench.mjs", job)
                    .directory(directory.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            process.waitFor();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            try {
                return JSON.readTree(last);
            } catch (IOException e) {
                throw new IllegalStateException("the Rust SlateDB bench exited with " + process.exitValue()
                        + " without a result; see " + stderr, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + node + " in " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Rust SlateDB bench ran", e);
        }
    }

    /** Copies the script and package files into the cache directory and runs {@code npm ci} when needed. */
    private void install() {
        try {
            Files.createDirectories(directory);
            // Two bench runs sharing the cache install one after the other.
            try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                boolean lockChanged = false;
                for (String file : FILES) {
                    byte[] packaged = resource(file);
                    Path target = directory.resolve(file);
                    if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), packaged)) {
                        Files.write(target, packaged);
                        lockChanged |= !file.endsWith(".mjs");
                    }
                }
                if (lockChanged
                        || !Files.isRegularFile(directory.resolve("node_modules/@slatedb/uniffi/package.json"))) {
                    npmCi();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Rust SlateDB bench into " + directory, e);
        }
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = RustSlateDbBench.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("the command's jar lacks " + RESOURCES + file);
            }
            return in.readAllBytes();
        }
    }

    private void npmCi() throws IOException {
        Path log = directory.resolve("npm-ci.log");
        // --ignore-scripts: the binding ships prebuilt native libraries; nothing needs building.
        Process process = new ProcessBuilder(npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                "--no-update-notifier")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("npm ci did not finish within " + INSTALL_TIMEOUT_MINUTES
                        + " minutes; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing @slatedb/uniffi", e);
        }
        if (process.exitValue() != 0) {
            // A half-installed package must not pass for an install next time.
            Files.deleteIfExists(directory.resolve("package-lock.json"));
            throw new IllegalStateException("npm ci of @slatedb/uniffi@" + BINDING_VERSION + " failed (exit "
                    + process.exitValue() + "): " + Files.readString(log).strip());
        }
    }

    private static Path cacheDirectory() {
        String own = System.getProperty("slatedb.cli.cache", System.getenv("SLATEDB_CLI_CACHE"));
        Path base;
        if (own != null && !own.isBlank()) {
            base = Path.of(own);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            base = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("slatedb-cli");
        }
        return base.resolve("rust-bench-" + BINDING_VERSION);
    }

    private static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
