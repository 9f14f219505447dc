package io.slatedb.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin archive {@code mvn package} builds: the connector jar with its ServiceLoader manifest, the
 * engine and the shared connector classes, and none of the jars a Connect worker provides (run by failsafe
 * after {@code package}).
 */
@Timeout(60)
class PluginArchiveIT {

    @Test
    void theZipHoldsTheConnectorAndItsRuntimeDependenciesOnly() throws IOException {
        String version = System.getProperty("project.version", "0.1.0-SNAPSHOT");
        Path zip = Path.of("target", "kafka-connect-source-" + version + ".zip");
        assertTrue(Files.isRegularFile(zip), "built by mvn package: " + zip.toAbsolutePath());
        String root = "kafka-connect-source-" + version + "/";
        List<String> jars = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                if (entry.getName().startsWith(root + "lib/") && entry.getName().endsWith(".jar")) {
                    jars.add(entry.getName().substring((root + "lib/").length()));
                }
            }
            ZipEntry example = file.getEntry(root + "etc/slatedb-source.json");
            assertTrue(example != null, "the example connector JSON");
            JsonNode json = new ObjectMapper().readTree(file.getInputStream(example));
            Map<String, String> config = new ObjectMapper().convertValue(json.get("config"),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            assertEquals(SlateDbSourceConnector.class.getName(), config.get("connector.class"));
            new SlateDbSourceConfig(config); // the example is a valid configuration
        }
        assertTrue(jars.contains("kafka-connect-source-" + version + ".jar"), "the connector jar: " + jars);
        assertTrue(jars.contains("slatedb-engine-" + version + ".jar"), "the engine: " + jars);
        assertTrue(jars.contains("kafka-connect-common-" + version + ".jar"), "the shared classes: " + jars);
        for (String jar : jars) {
            assertFalse(jar.startsWith("connect-api") || jar.startsWith("kafka-clients") || jar.startsWith("slf4j-api")
                    || jar.startsWith("log4j"), "provided by the worker, not bundled: " + jar);
        }
        try (ZipFile connectorJar = new ZipFile(Path.of("target", "kafka-connect-source-" + version + ".jar").toFile())) {
            ZipEntry services = connectorJar.getEntry("META-INF/services/org.apache.kafka.connect.source.SourceConnector");
            assertTrue(services != null, "the ServiceLoader manifest");
            String text = new String(connectorJar.getInputStream(services).readAllBytes()).trim();
            assertEquals(SlateDbSourceConnector.class.getName(), text);
        }
    }
}
