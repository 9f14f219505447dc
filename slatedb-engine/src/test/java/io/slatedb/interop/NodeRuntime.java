package io.slatedb.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code node} and {@code npm} executables the Rust SlateDB harness needs, and says why the
 * interop tests cannot run when they are missing.
 *
 * <p>Lookup: the system properties {@code slatedb.interop.node} / {@code slatedb.interop.npm} when set
 * (absolute paths), otherwise the {@code PATH}. Node must be 20 or newer, the oldest version the
 * {@code @slatedb/uniffi} package supports. The result is computed once per JVM.
 */
public final class NodeRuntime {

    /** Oldest Node major version {@code @slatedb/uniffi} 0.12.1 declares support for. */
    static final int MIN_NODE_MAJOR = 20;

    private static final Pattern VERSION = Pattern.compile("^v(\\d+)\\.(\\d+)\\.(\\d+)");
    private static volatile NodeRuntime detected;

    private final Path node;
    private final Path npm;
    private final String nodeVersion;
    private final String unavailableReason;

    private NodeRuntime(Path node, Path npm, String nodeVersion, String unavailableReason) {
        this.node = node;
        this.npm = npm;
        this.nodeVersion = nodeVersion;
        this.unavailableReason = unavailableReason;
    }

    /** The runtime of this machine (detected on first use). */
    public static NodeRuntime detect() {
        NodeRuntime result = detected;
        if (result == null) {
            synchronized (NodeRuntime.class) {
                result = detected;
                if (result == null) {
                    result = probe(System.getProperty("slatedb.interop.node"),
                            System.getProperty("slatedb.interop.npm"), System.getenv("PATH"));
                    detected = result;
                }
            }
        }
        return result;
    }

    /** Whether node and npm are present and node is recent enough. */
    public boolean available() {
        return unavailableReason == null;
    }

    /** Why the interop tests are skipped on this machine; empty when {@link #available()}. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    public Path node() {
        requireAvailable();
        return node;
    }

    public Path npm() {
        requireAvailable();
        return npm;
    }

    /** {@code node --version}, for example {@code v20.20.2}. */
    public String nodeVersion() {
        requireAvailable();
        return nodeVersion;
    }

    private void requireAvailable() {
        if (!available()) {
            throw new IllegalStateException(unavailableReason);
        }
    }

    /**
     * Detects the runtime from explicit inputs (the two overrides, either may be null, and a PATH value);
     * {@link #detect()} passes the real ones.
     */
    static NodeRuntime probe(String nodeOverride, String npmOverride, String pathEnv) {
        Optional<Path> node = locate(nodeOverride, "node", pathEnv);
        if (node.isEmpty()) {
            return unavailable("node was not found on the PATH (or -Dslatedb.interop.node): the interop tests"
                    + " against the Rust SlateDB 0.12.1 (run through its Node binding) are skipped");
        }
        Optional<Path> npm = locate(npmOverride, "npm", pathEnv);
        if (npm.isEmpty()) {
            return unavailable("npm was not found on the PATH (or -Dslatedb.interop.npm), so the pinned"
                    + " @slatedb/uniffi package cannot be installed: the interop tests against the Rust"
                    + " SlateDB are skipped");
        }
        String version;
        try {
            version = runForVersion(node.get());
        } catch (IOException e) {
            return unavailable("`" + node.get() + " --version` failed (" + e.getMessage()
                    + "): the interop tests against the Rust SlateDB are skipped");
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return unavailable("unrecognised `node --version` output '" + version
                    + "': the interop tests against the Rust SlateDB are skipped");
        }
        if (Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
            return unavailable("node " + version + " is older than " + MIN_NODE_MAJOR
                    + ", the oldest version @slatedb/uniffi supports: the interop tests are skipped");
        }
        return new NodeRuntime(node.get(), npm.get(), version, null);
    }

    private static NodeRuntime unavailable(String reason) {
        return new NodeRuntime(null, null, null, reason);
    }

    private static Optional<Path> locate(String configured, String name, String path) {
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        List<String> names = new ArrayList<>();
        names.add(name);
        if (windows) {
            names.add(name + ".exe");
            names.add(name + ".cmd");
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String candidate : names) {
                Path p = Path.of(dir, candidate);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static String runForVersion(Path node) throws IOException {
        Process process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("no answer within 30 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IOException("exit code " + process.exitValue() + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
