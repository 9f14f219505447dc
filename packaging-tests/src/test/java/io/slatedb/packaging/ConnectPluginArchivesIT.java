package io.slatedb.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two Connect plugin archives as a Kafka 4.3 installation gets them: unpacked into the {@code plugin.path}
 * of a worker built from Kafka's own classes ({@code EmbeddedConnectCluster}, one broker, one worker, for
 * the whole class). The connectors' classes are on no class path of this JVM: the worker can only find them
 * in the unpacked archives. The example connector JSON files under {@code examples/connect} validate on that
 * worker, and the sink and the source configured from them carry records from a topic into a database and
 * back out into another topic.
 */
@Tag("slow")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConnectPluginArchivesIT {
    private static final String SINK = "io.slatedb.connect.sink.SlateDbSinkConnector";
    private static final String SOURCE = "io.slatedb.connect.source.SlateDbSourceConnector";
    /** The worker's classes: a plugin archive must not bring its own copy of any of them. */
    private static final List<String> WORKER_JARS = List.of("connect-api-", "connect-runtime-", "connect-json-",
            "connect-transforms-", "kafka-clients-", "kafka_", "slf4j-", "log4j-", "reload4j-", "jackson-");

    private static Path pluginPath;
    private static Path storeDir;
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startWorker() throws IOException {
        pluginPath = Files.createTempDirectory("slatedb-plugin-path-");
        storeDir = Files.createTempDirectory("slatedb-packaging-store-");
        Artifacts.unzip(Artifacts.artifact("kafka-connect-sink.zip"), pluginPath);
        Artifacts.unzip(Artifacts.artifact("kafka-connect-source.zip"), pluginPath);

        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", pluginPath.toString());
        // Only plugins with ServiceLoader manifests: the archives' jars must carry theirs.
        worker.put("plugin.discovery", "service_load");
        // The example source connector asks for exactly-once delivery and sets producer overrides.
        worker.put("exactly.once.source.support", "enabled");
        worker.put("connector.client.config.override.policy", "All");
        worker.put("offset.flush.interval.ms", "500");
        connect = new EmbeddedConnectCluster.Builder().name("slatedb-packaging").numWorkers(1).numBrokers(1)
                .brokerProps(broker).workerProps(worker).build();
        connect.start();
    }

    @AfterAll
    static void stopWorker() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void theConnectorsAreNotOnThisJvmsClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(SINK));
        assertThrows(ClassNotFoundException.class, () -> Class.forName(SOURCE));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.slatedb.Db"));
    }

    @Test
    void eachArchiveIsOneDirectoryWithAManifestAndWhatTheWorkerLacks() throws IOException {
        checkArchive("kafka-connect-sink", SINK, "sink", "slatedb-sink.json");
        checkArchive("kafka-connect-source", SOURCE, "source", "etc/slatedb-source.json");
    }

    private static void checkArchive(String artifactId, String connectorClass, String type, String example)
            throws IOException {
        Path unpacked = Files.createTempDirectory("slatedb-archive-");
        List<String> entries = Artifacts.unzip(Artifacts.artifact(artifactId + ".zip"), unpacked);
        String root = entries.get(0).substring(0, entries.get(0).indexOf('/') + 1);
        assertTrue(root.startsWith(artifactId + "-"), "one directory named after the artifact: " + root);
        for (String entry : entries) {
            assertTrue(entry.startsWith(root), "everything under " + root + ": " + entry);
        }
        List<String> jars = entries.stream().filter(e -> e.startsWith(root + "lib/") && e.endsWith(".jar"))
                .map(e -> e.substring((root + "lib/").length())).toList();
        for (String needed : List.of(artifactId + "-", "kafka-connect-common-", "slatedb-engine-", "s3-",
                "netty-nio-client-", "caffeine-", "flatbuffers-java-", "zstd-jni-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + "* missing from " + jars);
        }
        for (String provided : WORKER_JARS) {
            assertFalse(jars.stream().anyMatch(j -> j.startsWith(provided)),
                    provided + "* is the worker's, not the plugin's: " + jars);
        }
        assertTrue(entries.contains(root + example), "the example connector JSON: " + entries);

        JsonNode manifest = Artifacts.JSON.readTree(unpacked.resolve(root + "manifest.json").toFile());
        assertEquals(artifactId, manifest.get("name").asText());
        assertEquals(root.substring(artifactId.length() + 1, root.length() - 1), manifest.get("version").asText(),
                "the manifest carries the archive's version");
        assertEquals(type, manifest.get("component_types").get(0).asText());
        assertEquals(connectorClass, manifest.get("connector_classes").get(0).asText());
    }

    @Test
    void theWorkerFindsBothConnectorsOnItsPluginPath() {
        String plugins = String.valueOf(connect.requestGet(connect.endpointForResource("connector-plugins")).getEntity());
        assertTrue(plugins.contains(SINK), plugins);
        assertTrue(plugins.contains(SOURCE), plugins);
    }

    @Test
    void theExampleConnectorJsonFilesValidateOnTheWorker() throws IOException {
        for (String example : List.of("connect/slatedb-sink.json", "connect/slatedb-source.json")) {
            Map<String, String> config = Artifacts.connectorConfig(Artifacts.example(example));
            ConfigInfos result = connect.validateConnectorConfig(config.get("connector.class"), config);
            List<String> errors = new ArrayList<>();
            for (ConfigInfo info : result.configs()) {
                if (!info.configValue().errors().isEmpty()) {
                    errors.add(info.configValue().name() + ": " + info.configValue().errors());
                }
            }
            assertEquals(List.of(), errors, example + " validates");
            assertEquals(0, result.errorCount(), example);
        }
        // Validation is real: a misspelt engine setting in the same JSON is refused, naming it.
        Map<String, String> config = Artifacts.connectorConfig(Artifacts.example("connect/slatedb-sink.json"));
        config.put("slatedb.settings.l0_sst_size_byts", "1MiB");
        assertTrue(connect.validateConnectorConfig(SINK, config).errorCount() > 0);
    }

    @Test
    void theSinkWritesATopicIntoADatabaseAndTheSourceStreamsItBack() throws Exception {
        String store = "file://" + storeDir.toAbsolutePath();
        Map<String, String> sink = Artifacts.connectorConfig(Artifacts.example("connect/slatedb-sink.json"));
        Map<String, String> source = Artifacts.connectorConfig(Artifacts.example("connect/slatedb-source.json"));
        String input = sink.get("topics");
        String changes = source.get("topic");
        assertEquals(sink.get("slatedb.path"), source.get("slatedb.path"), "the source tails the sink's database");
        sink.put("slatedb.store", store);
        source.put("slatedb.store", store);
        // One broker: the dead letter queue topic cannot have the default three replicas.
        sink.put("errors.deadletterqueue.topic.replication.factor", "1");

        connect.kafka().createTopic(input, 1);
        connect.kafka().createTopic(changes, 1); // the test broker creates no topic on first use
        connect.configureConnector(sink.get("name"), sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(sink.get("name"), 1, "the sink did not start");
        connect.configureConnector(source.get("name"), source);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(source.get("name"), 1, "the source did not start");

        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String key = "customer-" + (i % 5);
            String value = Integer.toString(i);
            connect.kafka().produce(input, key, value);
            expected.put(key, value);
        }
        connect.kafka().produce(input, "customer-4", null); // a tombstone: a delete in the database
        expected.remove("customer-4");

        Map<String, Object> consumerProps = Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "packaging-changes");
        Map<String, String> state = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(consumerProps, changes)) {
            TestUtils.waitForCondition(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    assertTrue(key.startsWith("customer-"), "only the records' keys come out (no offset keys): " + key);
                    if (record.value() == null) {
                        state.remove(key);
                    } else {
                        state.put(key, new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
                return state.equals(expected);
            }, 120_000, () -> "the changes topic's last-write-wins state " + state + " never equalled " + expected);
        }
        connect.deleteConnector(source.get("name"));
        connect.deleteConnector(sink.get("name"));
    }
}
