package io.slatedb.packaging;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The jar for Flink's {@code lib/} ({@code flink-state-backend-<version>-flink-lib.jar}) as a Flink 2.3
 * installation gets it: its content (no Flink or SLF4J classes, every dependency relocated, the ServiceLoader
 * files relocated with them), and the jar alone beside Flink's runtime jars in a child JVM (no class of the
 * backend's module, no test class path) running a keyed job whose state lives in S3 (an in-process S3Proxy,
 * so the relocated AWS SDK does the talking), checkpointing and restoring; and {@code examples/flink/config.yaml}
 * loaded as a Flink process loads {@code conf/config.yaml}.
 */
@Tag("slow")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FlinkLibJarIT {
    private static final String BUCKET = "flink-state";
    private static final String ACCESS_KEY = "packaging-access";
    private static final String SECRET_KEY = "packaging-secret";
    /** Classes the jar may hold outside io/slatedb: zstd-jni binds its native methods by class name. */
    private static final String UNRELOCATED_JNI = "com/github/luben/zstd/";

    private static Path s3Dir;
    private static BlobStore blobStore;
    private static S3Proxy s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3Dir = Files.createTempDirectory("slatedb-packaging-s3-");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", s3Dir.toString());
        blobStore = BlobStores.create("filesystem-nio2", properties);
        blobStore.createContainer(BUCKET);
        s3 = S3Proxy.builder().blobStore(blobStore).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        assertEquals("STARTED", s3.getState(), "S3Proxy started");
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
    }

    private static Path jar() {
        return Artifacts.artifact("flink-state-backend-flink-lib.jar");
    }

    @Test
    void theJarHoldsTheBackendAndRelocatedDependenciesOnly() throws IOException {
        List<String> foreign = new ArrayList<>();
        Map<String, String> services = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar().toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("io/slatedb/") && !name.startsWith(UNRELOCATED_JNI)
                        && !name.startsWith("META-INF/versions/")) {
                    foreign.add(name);
                }
                if (name.startsWith("META-INF/services/") && !entry.isDirectory()) {
                    services.put(name.substring("META-INF/services/".length()),
                            new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(List.of(), foreign.stream().limit(20).toList(),
                    "classes outside io.slatedb (Flink's, SLF4J's, or a dependency left unrelocated)");
            assertTrue(zip.getEntry("io/slatedb/flink/SlateDbStateBackendFactory.class") != null);
            assertTrue(zip.getEntry("io/slatedb/Db.class") != null, "the engine");
            for (String relocated : List.of("software/amazon/awssdk/services/s3/S3AsyncClient.class",
                    "io/netty/channel/Channel.class", "com/github/benmanes/caffeine/cache/Caffeine.class",
                    "com/google/protobuf/Message.class", "com/google/flatbuffers/Table.class")) {
                assertTrue(zip.getEntry("io/slatedb/shaded/" + relocated) != null, "relocated: " + relocated);
            }

            assertEquals("io.slatedb.flink.snapshot.SlateDbCheckpointFileSystemFactory\n"
                            + "io.slatedb.flink.snapshot.SlateDbPinnedCloneFileSystemFactory",
                    uncommented(services.get("org.apache.flink.core.fs.FileSystemFactory")),
                    "Flink finds the slatedb-checkpoint: and slatedb-pinned-clone: file systems");
            for (Map.Entry<String, String> service : services.entrySet()) {
                assertTrue(service.getKey().startsWith("io.slatedb.") || service.getKey().startsWith("org.apache.flink."),
                        "a service of a relocated (or Flink's) interface: " + service.getKey());
                for (String implementation : uncommented(service.getValue()).split("\n")) {
                    assertTrue(zip.getEntry(implementation.trim().replace('.', '/') + ".class") != null,
                            service.getKey() + " names " + implementation + ", which the jar holds");
                }
            }
            assertTrue(services.containsKey("io.slatedb.shaded.software.amazon.awssdk.http.async.SdkAsyncHttpService"),
                    "the AWS SDK finds its (relocated) Netty HTTP client: " + services.keySet());
        }
    }

    private static String uncommented(String text) {
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.replaceAll("#.*", "").trim();
            if (!trimmed.isEmpty()) {
                lines.append(lines.length() == 0 ? "" : "\n").append(trimmed);
            }
        }
        return lines.toString();
    }

    @Test
    void aKeyedJobOnTheJarAloneCheckpointsToS3AndRestores(@TempDir Path work) throws Exception {
        String prefix = "packaging-job";
        String store = "s3://" + BUCKET + "/" + prefix + "?endpoint=http://127.0.0.1:" + s3.getPort()
                + "&region=us-east-1&path_style=true&access_key_id=" + ACCESS_KEY + "&secret_access_key=" + SECRET_KEY;
        Map<String, String> results = runChild(work, "job", store, work.toString());

        Map<String, String> everyKey = new TreeMap<>();
        for (int key = 0; key < FlinkLibJob.KEYS; key++) {
            everyKey.put(Integer.toString(key), Integer.toString(FlinkLibJob.PER_KEY));
        }
        assertEquals("flink-state-backend-flink-lib.jar", results.get("backend-jar"), "the backend came from the jar");
        assertTrue(results.get("retained").startsWith("chk-"), results.toString());
        // Lost state would end below PER_KEY, records counted twice above it.
        assertEquals(everyKey.toString().replace(" ", ""), results.get("highest").replace(" ", ""));
        // The second job started from the first one's state, not from nothing.
        assertTrue(parse(results.get("lowest")).values().stream().anyMatch(lowest -> lowest > 1),
                "restored counts: " + results.get("lowest"));

        // The state lives in S3: both jobs' databases under <prefix>/flink/<job id>/.
        Path root = s3Dir.resolve(BUCKET).resolve(prefix).resolve("flink");
        for (String job : List.of(results.get("first-job").split(" ")[0], results.get("second-job").split(" ")[0])) {
            try (Stream<Path> files = Files.walk(root.resolve(job))) {
                assertTrue(files.anyMatch(f -> f.toString().contains("/manifest/")), "a database of job " + job + " in S3");
            }
        }
    }

    @Test
    void theExampleConfigYamlSelectsTheBackend(@TempDir Path conf) throws Exception {
        Files.copy(Artifacts.example("flink/config.yaml"), conf.resolve("config.yaml"));
        Map<String, String> results = runChild(conf, "config", conf.toString());
        assertEquals("io.slatedb.flink.SlateDbStateBackend", results.get("backend"));
        assertEquals("flink-state-backend-flink-lib.jar", results.get("backend-jar"));
        assertEquals("30000", results.get("checkpoint-interval-ms"));
        assertEquals("RETAIN_ON_CANCELLATION", results.get("checkpoint-retention"));
    }

    private static Map<Long, Long> parse(String map) {
        Map<Long, Long> parsed = new TreeMap<>();
        for (String pair : map.replaceAll("[{} ]", "").split(",")) {
            String[] kv = pair.split("=");
            parsed.put(Long.parseLong(kv[0]), Long.parseLong(kv[1]));
        }
        return parsed;
    }

    /**
     * Runs {@link FlinkLibJob} in a child JVM on Flink's runtime jars, the jar under test and the job's own
     * class; returns its {@code RESULT name value} lines as a map.
     */
    private static Map<String, String> runChild(Path work, String... args) throws Exception {
        List<String> classpath = new ArrayList<>();
        for (Path flinkJar : Artifacts.flinkRuntime()) {
            classpath.add(flinkJar.toString());
        }
        classpath.add(jar().toString());
        classpath.add(Path.of(FlinkLibJob.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                // As Flink's own scripts start a JVM on Java 17.
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "-cp", String.join(File.pathSeparator, classpath),
                FlinkLibJob.class.getName()));
        command.addAll(List.of(args));
        Path output = work.resolve("child-" + args[0] + ".log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(540, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("the child JVM did not finish in 540 s:\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        assertEquals(0, child.exitValue(), "the child JVM failed:\n" + text);
        Map<String, String> results = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] parts = line.substring("RESULT ".length()).split(" ", 2);
                results.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            }
        }
        assertFalse(results.isEmpty(), "no RESULT lines:\n" + text);
        System.out.println("FlinkLibJob " + args[0] + ": " + new TreeMap<>(results));
        return results;
    }
}
