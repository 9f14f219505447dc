package io.slatedb.connect.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Connect plugin archive {@code mvn package} makes (run by failsafe, after packaging): one directory
 * with the connector jar and its runtime dependencies and nothing the worker provides; loaded in a class
 * loader that sees only its jars over Kafka's own (as a worker's plugin isolation does), the connector is
 * found through its ServiceLoader manifest and validates a configuration.
 */
@Timeout(120)
class SlateDbSinkPackagingIT {

    private static Path archive() throws IOException {
        Path target = Paths.get(System.getProperty("basedir", ".")).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> zips = files.filter(p -> p.getFileName().toString().matches("kafka-connect-sink-.*\\.zip")).toList();
            assertEquals(1, zips.size(), "one plugin archive in " + target + ": " + zips);
            return zips.get(0);
        }
    }

    @Test
    void theArchiveHoldsTheConnectorAndItsRuntimeDependenciesOnly(@TempDir Path pluginPath) throws Exception {
        Path zip = archive();
        String base = zip.getFileName().toString().replaceAll("\\.zip$", "");
        List<String> jars = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                assertTrue(entry.getName().startsWith(base + "/"), "everything in one directory: " + entry.getName());
                Path out = pluginPath.resolve(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                if (entry.getName().endsWith(".jar")) {
                    jars.add(entry.getName().substring(entry.getName().lastIndexOf('/') + 1));
                }
            }
        }
        assertTrue(jars.contains(base + ".jar"), "the connector jar: " + jars);
        for (String expected : List.of("slatedb-engine-", "kafka-connect-common-", "s3-", "flatbuffers-java-", "caffeine-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(expected)), expected + " missing: " + jars);
        }
        for (String provided : List.of("kafka-clients-", "connect-", "slf4j-", "log4j-", "kafka_", "junit")) {
            assertFalse(jars.stream().anyMatch(j -> j.startsWith(provided)), provided + " must not be bundled: " + jars);
        }
        assertTrue(Files.isRegularFile(pluginPath.resolve(base).resolve("slatedb-sink.json")), "the example connector JSON");

        // Kafka's jars as the worker's parent-first classes, the archive's jars above them.
        List<URL> kafka = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Paths.get(entry).getFileName().toString();
            if (name.startsWith("connect-api-") || name.startsWith("kafka-clients-") || name.startsWith("slf4j-api-")) {
                kafka.add(Paths.get(entry).toUri().toURL());
            }
        }
        List<URL> plugin = new ArrayList<>();
        try (Stream<Path> files = Files.walk(pluginPath.resolve(base))) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                plugin.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader parent = new URLClassLoader(kafka.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
             URLClassLoader isolated = new URLClassLoader(plugin.toArray(URL[]::new), parent)) {
            Class<?> sinkConnector = parent.loadClass("org.apache.kafka.connect.sink.SinkConnector");
            Iterator<?> found = ServiceLoader.load(sinkConnector, isolated).iterator();
            assertTrue(found.hasNext(), "the ServiceLoader manifest names the connector");
            Object connector = found.next();
            assertEquals(SlateDbSinkConnector.class.getName(), connector.getClass().getName());
            assertTrue(connector.getClass().getClassLoader() == isolated, "loaded from the archive");
            assertFalse(((String) sinkConnector.getMethod("version").invoke(connector)).contains("${"), "a real version");
            Method validate = sinkConnector.getMethod("validate", Map.class);
            Object config = validate.invoke(connector, Map.of("slatedb.store", "file://" + pluginPath.toAbsolutePath(),
                    "slatedb.path", "db", "topics", "t", "tasks.max", "1"));
            assertEquals(0, config.getClass().getMethod("configValues").invoke(config) instanceof List<?> values
                    ? values.stream().filter(v -> {
                        try {
                            return !((List<?>) v.getClass().getMethod("errorMessages").invoke(v)).isEmpty();
                        } catch (ReflectiveOperationException e) {
                            throw new AssertionError(e);
                        }
                    }).count() : -1, "the isolated connector validates a configuration");
        }
    }
}
