package io.slatedb.connect.sink;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
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
import java.util.HashMap;
import java.util.Properties;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Connect plugin archive {@code mvn package} makes (run by failsafe, after packaging): one directory
 * with the connector jar and its runtime dependencies and nothing the worker provides; loaded in a class
 * loader that sees only its jars over Kafka's own (as a worker's plugin isolation does), the connector is
 * found through its ServiceLoader manifest and validates a configuration.
 */
@Timeout(300)
class SlateDbSinkPackagingIT {
    private static final String CONNECTOR = "io.slatedb.connect.sink.SlateDbSinkConnector";

    private static Path archive() throws IOException {
        Path target = Paths.get(System.getProperty("basedir", ".")).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> zips = files.filter(p -> p.getFileName().toString().matches("kafka-connect-sink-.*\\.zip")).toList();
            assertEquals(1, zips.size(), "one plugin archive in " + target + ": " + zips);
            return zips.get(0);
        }
    }

    @Test
    void theConnectorIsNotOnTheTestClasspath() {
        // The build runs this class without the connector's classes (failsafe's classesDirectory), so that the
        // worker below can only find the connector in the archive.
        assertThrows(ClassNotFoundException.class, () -> Class.forName(CONNECTOR));
    }

    @Test
    void aStockWorkerRunsTheConnectorFromItsPluginPath(@TempDir Path pluginPath, @TempDir Path storeDir) throws Exception {
        unpack(pluginPath);
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", pluginPath.toString());
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        EmbeddedConnectCluster connect = (EmbeddedConnectCluster) new EmbeddedConnectCluster.Builder()
                .name("slatedb-sink-plugin-path").numWorkers(1).numBrokers(1).brokerProps(broker).workerProps(worker).build();
        connect.start();
        try (ObjectStore store = ObjectStores.resolve("file://" + storeDir.toAbsolutePath())) {
            String plugins = String.valueOf(connect.requestGet(connect.endpointForResource("connector-plugins")).getEntity());
            assertTrue(plugins.contains(CONNECTOR), plugins);

            connect.kafka().createTopic("from-plugin-path", 1);
            Map<String, String> config = new HashMap<>();
            config.put("connector.class", CONNECTOR);
            config.put("tasks.max", "1");
            config.put("topics", "from-plugin-path");
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("slatedb.store", "file://" + storeDir.toAbsolutePath());
            config.put("slatedb.path", "plugin-path");
            connect.configureConnector("plugin-path-sink", config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("plugin-path-sink", 1, "the sink did not start");
            connect.kafka().produce("from-plugin-path", "a", "1");
            connect.kafka().produce("from-plugin-path", "b", "2");
            connect.kafka().produce("from-plugin-path", "a", null);

            TopicPartition tp = new TopicPartition("from-plugin-path", 0);
            SinkDatabaseModel[] last = new SinkDatabaseModel[1];
            TestUtils.waitForCondition(() -> {
                try {
                    last[0] = SinkDatabaseModel.read(store, "plugin-path");
                    return last[0].offsets().equals(Map.of(tp, 3L));
                } catch (RuntimeException e) {
                    return false;
                }
            }, 90_000, "the sink loaded from the plugin path did not write the records");
            assertEquals(Map.of("b", "2"), last[0].data());
        } finally {
            connect.stop();
        }
    }

    /** Unpacks the archive into {@code pluginPath}; returns the names of its jars. */
    private static List<String> unpack(Path pluginPath) throws IOException {
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
        return jars;
    }

    @Test
    void theArchiveHoldsTheConnectorAndItsRuntimeDependenciesOnly(@TempDir Path pluginPath) throws Exception {
        List<String> jars = unpack(pluginPath);
        String base = archive().getFileName().toString().replaceAll("\\.zip$", "");
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
            assertEquals(CONNECTOR, connector.getClass().getName());
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
