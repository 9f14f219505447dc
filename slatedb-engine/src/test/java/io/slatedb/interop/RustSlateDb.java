package io.slatedb.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.interop.RustResults.Checkpoint;
import io.slatedb.interop.RustResults.Probe;
import io.slatedb.interop.RustResults.ReadResult;
import io.slatedb.interop.RustResults.WalFileDump;
import io.slatedb.interop.RustResults.WriteResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The real SlateDB (Rust 0.12.1, through its Node binding {@code @slatedb/uniffi}) as a test oracle.
 *
 * <p>The Node scripts (source: {@code slatedb-engine/src/test/node}, on the test classpath and in the
 * test-jar under {@code slatedb-interop-node/}) are copied into {@code <module>/target/slatedb-interop-node},
 * where {@code npm ci} installs the binding pinned by the committed {@code package-lock.json}. The install is
 * done once and reused while the lock file is unchanged. Each call then runs one script as a child process:
 * the job goes in as JSON on standard input, the result comes back as one JSON object on standard output
 * (see {@code lib/common.mjs} for the protocol). Every child process is bounded in time and killed with its
 * descendants when the bound is exceeded.
 *
 * <p>Use it from tests annotated with {@link RequiresNode}, which are skipped on machines without Node.
 * {@link #get()} installs on first use and fails (rather than skips) when Node is present but the install
 * does not work, with npm's output in the message.
 */
public final class RustSlateDb {

    /** The binding version the lock file pins; checked against the installed package. */
    public static final String BINDING_VERSION = "0.12.1";

    /** Bound on {@code npm ci}: downloading the package (about 25 MB) on a slow link. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    /** Default bound on one job; a job can ask for another with {@code timeoutMs}. */
    static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofSeconds(60);
    /** Extra time the Java side grants after the script's own watchdog should have fired. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(15);

    private static final String RESOURCE_DIR = "slatedb-interop-node";
    private static final String INSTALL_STAMP = ".installed-lock-sha256";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile RustSlateDb instance;

    private final NodeRuntime runtime;
    private final Path workDir;
    private final Probe probe;
    private final AtomicLong runCounter = new AtomicLong();

    private RustSlateDb(NodeRuntime runtime, Path workDir) {
        this.runtime = runtime;
        this.workDir = workDir;
        this.probe = RustResults.probe(run("probe.mjs", JSON.createObjectNode(), Duration.ofSeconds(60)));
        if (!BINDING_VERSION.equals(probe.bindingVersion())) {
            throw new IllegalStateException("installed @slatedb/uniffi is " + probe.bindingVersion()
                    + ", the harness expects " + BINDING_VERSION + " (see " + workDir + ")");
        }
    }

    /**
     * The harness, installed on first use. Call it only from {@link RequiresNode} tests.
     *
     * @throws IllegalStateException when Node is missing (the caller should have been skipped) or when
     *     installing or loading the binding failed
     */
    public static RustSlateDb get() {
        RustSlateDb result = instance;
        if (result == null) {
            synchronized (RustSlateDb.class) {
                result = instance;
                if (result == null) {
                    NodeRuntime runtime = NodeRuntime.detect();
                    if (!runtime.available()) {
                        throw new IllegalStateException(runtime.unavailableReason().orElseThrow());
                    }
                    Path workDir = install(runtime, workDir());
                    result = new RustSlateDb(runtime, workDir);
                    instance = result;
                }
            }
        }
        return result;
    }

    /** What the probe script reported about the installed binding (version, platform, codecs). */
    public Probe probe() {
        return probe;
    }

    /** The directory the scripts run in (with {@code node_modules}); child process logs land in its runs/. */
    public Path workDirectory() {
        return workDir;
    }

    // ------------------------------------------------------------------------------------------------
    // Typed calls.

    /** Runs a {@code write-db} job: opens the database, applies the operations, reports seqs. */
    public WriteResult write(RustWriteJob job) {
        return RustResults.writeResult(run("write-db.mjs", job.toJson(), job.timeout()));
    }

    /** Scans a whole database through a {@code DbReader} (managed checkpoint, WAL replayed). */
    public ReadResult read(Path storeDir, String dbPath) {
        return read(readJob(storeDir, dbPath, "reader"));
    }

    /** Scans a database as of a checkpoint ({@code DbReaderBuilder.with_checkpoint_id}). */
    public ReadResult readCheckpoint(Path storeDir, String dbPath, UUID checkpointId) {
        ObjectNode job = readJob(storeDir, dbPath, "checkpoint");
        job.put("checkpointId", checkpointId.toString());
        return read(job);
    }

    /**
     * Opens the database as a writer (fencing any previous writer, replaying its WAL), scans it and reads
     * the given keys with {@code get_key_value}, then shuts down cleanly.
     */
    public ReadResult readAsWriter(Path storeDir, String dbPath, List<byte[]> gets) {
        ObjectNode job = readJob(storeDir, dbPath, "db");
        job.putObject("settings").putNull("flush_interval");
        var array = job.putArray("gets");
        gets.forEach(k -> array.add(HexFormat.of().formatHex(k)));
        return read(job);
    }

    /**
     * Runs a {@code read-db} job given as JSON (see {@code read-db.mjs} for the fields); for options the
     * typed methods do not cover.
     */
    public ReadResult read(ObjectNode job) {
        return RustResults.readResult(run("read-db.mjs", job, timeoutOf(job)));
    }

    /** Every WAL file of the database with its raw rows, read by SlateDB's {@code WalReader}. */
    public List<WalFileDump> walDump(Path storeDir, String dbPath) {
        return walDump(storeDir, dbPath, null);
    }

    /** As {@link #walDump(Path, String)} for a database whose WAL lives in {@code walStoreDir} (if not null). */
    public List<WalFileDump> walDump(Path storeDir, String dbPath, Path walStoreDir) {
        ObjectNode job = baseJob(storeDir, dbPath);
        if (walStoreDir != null) {
            job.put("walStore", storeUrl(walStoreDir));
        }
        return RustResults.walDump(run("wal-dump.mjs", job, DEFAULT_JOB_TIMEOUT));
    }

    /**
     * Creates a checkpoint of the latest manifest that expires after {@code lifetime} (at least 2 s). The
     * 0.12.1 binding has no Admin API: the checkpoint is the one a managed {@code DbReader} creates on open,
     * left behind by not closing the reader (see {@code lib/checkpoints.mjs}).
     */
    public Checkpoint createCheckpoint(Path storeDir, String dbPath, Duration lifetime) {
        ObjectNode job = baseJob(storeDir, dbPath);
        job.put("command", "create-checkpoint");
        job.put("lifetimeMs", lifetime.toMillis());
        return RustResults.checkpoint(run("admin.mjs", job, DEFAULT_JOB_TIMEOUT).path("checkpoint"));
    }

    /**
     * The harness's own summary of the latest manifest (epochs, WAL ids, L0 and sorted-run SST ids,
     * checkpoints), or a JSON null without one. Meant for the harness's bookkeeping and for diagnostics;
     * tests of the manifest format decode the objects with the project's codec instead.
     */
    public JsonNode manifestSummary(Path storeDir, String dbPath) {
        ObjectNode job = baseJob(storeDir, dbPath);
        job.put("command", "read-manifest");
        return run("admin.mjs", job, DEFAULT_JOB_TIMEOUT);
    }

    // ------------------------------------------------------------------------------------------------
    // Raw runner.

    /**
     * Runs one harness script with {@code job} on its standard input and returns the {@code result} of its
     * answer. The job's {@code timeoutMs} is set from {@code timeout} unless present; the process is killed
     * if it outlives that by {@link #KILL_GRACE}.
     *
     * @throws RustSlateDbException when the script reports a failure, times out, or answers garbage
     */
    public JsonNode run(String script, ObjectNode job, Duration timeout) {
        if (!job.has("timeoutMs")) {
            job.put("timeoutMs", timeout.toMillis());
        }
        if (!job.has("logLevel")) {
            job.put("logLevel", "Warn");
        }
        Duration bound = Duration.ofMillis(job.get("timeoutMs").asLong()).plus(KILL_GRACE);
        Path runs = workDir.resolve("runs");
        long n = runCounter.incrementAndGet();
        String base = ProcessHandle.current().pid() + "-" + n + "-" + script.replace(".mjs", "");
        Path stdout = runs.resolve(base + ".stdout.json");
        Path stderr = runs.resolve(base + ".stderr.log");
        Path jobFile = runs.resolve(base + ".job.json");
        try {
            Files.createDirectories(runs);
            byte[] jobBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(job);
            Files.write(jobFile, jobBytes);
            Process process = new ProcessBuilder(runtime.node().toString(), script)
                    .directory(workDir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(jobBytes);
            }
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new RustSlateDbException(script + " did not finish within " + bound + "; job "
                        + jobFile + ", stderr " + stderr + ":\n" + tail(stderr));
            }
            JsonNode answer = parseAnswer(script, process.exitValue(), stdout, stderr, jobFile);
            if (!answer.path("ok").asBoolean(false)) {
                JsonNode error = answer.path("error");
                throw new RustSlateDbException(script + " failed: [" + error.path("tag").asText() + "] "
                        + error.path("message").asText() + "\njob " + jobFile + "\n"
                        + error.path("stack").asText() + "\nstderr:\n" + tail(stderr));
            }
            // Keep the logs of failed runs only; a passing build should not pile them up.
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            Files.deleteIfExists(jobFile);
            return answer.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException("running " + script + " in " + workDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustSlateDbException("interrupted while running " + script);
        }
    }

    private static JsonNode parseAnswer(String script, int exitCode, Path stdout, Path stderr, Path jobFile)
            throws IOException {
        String text = Files.readString(stdout, StandardCharsets.UTF_8).trim();
        try {
            if (!text.isEmpty()) {
                return JSON.readTree(text);
            }
        } catch (IOException e) {
            // Reported below together with the process's output.
        }
        throw new RustSlateDbException(script + " exited with " + exitCode + " without a JSON answer; job "
                + jobFile + "\nstdout:\n" + text + "\nstderr:\n" + tail(stderr));
    }

    private static void kill(Process process) {
        // The binding's runtime threads live in the node process itself, but be thorough.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() <= 8000 ? text : "..." + text.substring(text.length() - 8000);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static ObjectNode baseJob(Path storeDir, String dbPath) {
        ObjectNode job = JSON.createObjectNode();
        job.put("store", storeUrl(storeDir));
        job.put("path", dbPath);
        return job;
    }

    /**
     * A {@code read-db} job to complete and pass to {@link #read(ObjectNode)}; {@code mode} is "reader",
     * "checkpoint" or "db". Add for example {@code walStore} (a store URL, see {@link #storeUrl}) or
     * {@code "mergeOperator": "concat"}.
     */
    public static ObjectNode readJob(Path storeDir, String dbPath, String mode) {
        ObjectNode job = baseJob(storeDir, dbPath);
        job.put("mode", mode);
        return job;
    }

    private static Duration timeoutOf(ObjectNode job) {
        return job.has("timeoutMs") ? Duration.ofMillis(job.get("timeoutMs").asLong()) : DEFAULT_JOB_TIMEOUT;
    }

    /**
     * The object-store URL of a local directory, as the binding's {@code ObjectStore.resolve} and our
     * {@code file:///abs/dir} store both understand it (absolute, percent-encoded).
     */
    public static String storeUrl(Path storeDir) {
        return storeDir.toAbsolutePath().normalize().toUri().toString();
    }

    static ObjectMapper json() {
        return JSON;
    }

    // ------------------------------------------------------------------------------------------------
    // Installation.

    /**
     * Where the harness runs: {@code slatedb.interop.workDir} when set, otherwise
     * {@code <module>/target/slatedb-interop-node} of the module whose tests run. The module is found from
     * Surefire's {@code basedir} property, then from this class's location (a {@code target/test-classes}
     * directory), then from the working directory, so a build started from any directory works.
     */
    static Path workDir() {
        String configured = System.getProperty("slatedb.interop.workDir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String basedir = System.getProperty("basedir");
        if (basedir != null && !basedir.isBlank()) {
            return Path.of(basedir, "target", RESOURCE_DIR).toAbsolutePath();
        }
        try {
            Path location = Path.of(RustSlateDb.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = location.getParent();
            if (Files.isDirectory(location) && parent != null && parent.getFileName() != null
                    && parent.getFileName().toString().equals("target")) {
                return parent.resolve(RESOURCE_DIR);
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // Fall through to the working directory.
        }
        return Path.of(System.getProperty("user.dir"), "target", RESOURCE_DIR).toAbsolutePath();
    }

    /**
     * Copies the scripts into {@code workDir} and runs {@code npm ci} unless an install made from the same
     * lock file is already there. A file lock serialises concurrent builds sharing the directory.
     */
    private static Path install(NodeRuntime runtime, Path workDir) {
        try {
            Files.createDirectories(workDir);
            try (FileChannel channel = FileChannel.open(workDir.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = channel.lock()) {
                if (!held.isValid()) {
                    throw new IOException("lost the lock on " + workDir.resolve(".lock"));
                }
                copyScripts(workDir);
                byte[] lock = Files.readAllBytes(workDir.resolve("package-lock.json"));
                String stamp = sha256(lock) + " " + runtime.nodeVersion();
                Path stampFile = workDir.resolve(INSTALL_STAMP);
                boolean installed = Files.isRegularFile(
                        workDir.resolve("node_modules/@slatedb/uniffi/package.json"))
                        && Files.isRegularFile(stampFile)
                        && Files.readString(stampFile).trim().equals(stamp);
                if (!installed) {
                    Files.deleteIfExists(stampFile);
                    npmCi(runtime, workDir);
                    Files.writeString(stampFile, stamp + "\n");
                }
            }
            return workDir;
        } catch (IOException e) {
            throw new UncheckedIOException("installing the Rust SlateDB harness into " + workDir, e);
        }
    }

    /**
     * {@code npm ci} against the committed lock file. {@code --ignore-scripts}: the binding ships prebuilt
     * native libraries and koffi (its FFI library) ships prebuilt binaries too, so no install script is
     * needed; skipping them keeps the install free of downloads outside the registry and independent of
     * npm's install-script approval settings.
     */
    private static void npmCi(NodeRuntime runtime, Path workDir) throws IOException {
        Path log = workDir.resolve("npm-ci.log");
        Process process = new ProcessBuilder(runtime.npm().toString(), "ci", "--ignore-scripts", "--no-audit",
                "--no-fund", "--no-update-notifier")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IllegalStateException("npm ci did not finish within " + INSTALL_TIMEOUT + " in "
                        + workDir + ":\n" + tail(log));
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci in " + workDir);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed with exit code " + process.exitValue() + " in "
                    + workDir + ":\n" + tail(log));
        }
    }

    /** Copies the harness files from the test classpath (a directory or the test-jar) into workDir. */
    private static void copyScripts(Path workDir) throws IOException {
        URL marker = RustSlateDb.class.getResource("/" + RESOURCE_DIR + "/package-lock.json");
        if (marker == null) {
            throw new IllegalStateException("the Node harness (" + RESOURCE_DIR + "/package-lock.json) is not"
                    + " on the test classpath; is slatedb-engine/src/test/node configured as a test resource?");
        }
        if ("file".equals(marker.getProtocol())) {
            Path source;
            try {
                source = Path.of(marker.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    Path target = workDir.resolve(source.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else if ("jar".equals(marker.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = RESOURCE_DIR + "/";
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                        continue;
                    }
                    Path target = workDir.resolve(entry.getName().substring(prefix.length())).normalize();
                    if (!target.startsWith(workDir)) {
                        throw new IOException("unexpected entry " + entry.getName());
                    }
                    Files.createDirectories(target.getParent());
                    try (var in = jar.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            throw new IllegalStateException("cannot copy the Node harness from " + marker);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lists what a directory holds, for assertion messages. */
    public static List<String> listFiles(Path dir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(p -> out.add(dir.relativize(p) + " ("
                    + p.toFile().length() + " B)"));
        } catch (IOException e) {
            out.add("(cannot list " + dir + ": " + e + ")");
        }
        return out;
    }
}
