package io.slatedb.connect.source;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector's configuration, validation, task division and exactly-once declarations. */
@Timeout(30)
class SlateDbSourceConnectorTest {

    @TempDir
    Path dir;

    private Map<String, String> props(String paths) {
        Map<String, String> props = SourceTestSupport.props(dir, "unused");
        props.put(SlateDbSourceConfig.PATH, paths);
        return props;
    }

    @Test
    void tasksDivideTheDatabases() {
        SlateDbSourceConnector connector = new SlateDbSourceConnector();
        connector.start(props("a,b,c"));
        List<Map<String, String>> two = connector.taskConfigs(2);
        assertEquals(List.of("a,b", "c"), two.stream().map(t -> t.get(SlateDbSourceConfig.TASK_PATHS)).toList());
        assertEquals(List.of(List.of("a", "b"), List.of("c")),
                two.stream().map(t -> new SlateDbSourceConfig(t).taskPaths()).toList());
        assertEquals(3, connector.taskConfigs(10).size(), "never more tasks than databases");
        connector.stop();
    }

    @Test
    void declaresExactlyOnceSupport() {
        SlateDbSourceConnector connector = new SlateDbSourceConnector();
        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(props("a")));
        assertEquals(ConnectorTransactionBoundaries.UNSUPPORTED, connector.canDefineTransactionBoundaries(props("a")));
    }

    @Test
    void theTopicTemplateTakesTheDatabasePath() {
        Map<String, String> props = props("orders/eu");
        props.put(SlateDbSourceConfig.TOPIC, "cdc.${path}");
        assertEquals("cdc.orders_eu", new SlateDbSourceConfig(props).topicFor("orders/eu"));
        props.put(SlateDbSourceConfig.TOPIC, "fixed");
        assertEquals("fixed", new SlateDbSourceConfig(props).topicFor("orders/eu"));
    }

    @Test
    void defaultsAreDocumentedValues() {
        SlateDbSourceConfig config = new SlateDbSourceConfig(props("a"));
        assertEquals(SlateDbSourceConfig.StartFrom.SNAPSHOT, config.startFrom());
        assertEquals(SlateDbSourceConfig.GapPolicy.FAIL, config.gapPolicy());
        assertTrue(config.pollInterval().toMillis() <= 1000, "a durable write reaches Kafka within a second or so");
        assertTrue(config.retentionEnabled());
        for (String name : SlateDbSourceConfig.CONFIG_DEF.names()) {
            if (!name.equals(SlateDbSourceConfig.TASK_PATHS)) {
                String doc = SlateDbSourceConfig.CONFIG_DEF.configKeys().get(name).documentation;
                assertTrue(doc != null && doc.length() > 20, "documented: " + name);
            }
        }
    }

    @Test
    void badValuesAreRejectedByName() {
        Map<String, String> props = props("a");
        props.put(SlateDbSourceConfig.WAL_GAP_POLICY, "skip");
        props.put(SlateDbSourceConfig.POLL_INTERVAL_MS, "1");
        props.put(SlateDbSourceConfig.START_FROM, "middle");
        props.put(SlateDbSourceConfig.PATH, "a,a");
        Config result = new SlateDbSourceConnector().validate(props);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : result.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        for (String name : List.of(SlateDbSourceConfig.WAL_GAP_POLICY, SlateDbSourceConfig.POLL_INTERVAL_MS,
                SlateDbSourceConfig.START_FROM, SlateDbSourceConfig.PATH)) {
            assertTrue(errors.containsKey(name), "an error for " + name + ": " + errors);
        }
        assertFalse(errors.containsKey(SlateDbSourceConfig.STORE));
        assertThrows(ConfigException.class, () -> new SlateDbSourceConfig(props));
        props.clear();
        assertThrows(ConfigException.class, () -> new SlateDbSourceConfig(props), "store, path and topic are required");
    }

    @Test
    void catchUpIsSpelledWithAHyphen() {
        Map<String, String> props = props("a");
        props.put(SlateDbSourceConfig.WAL_GAP_POLICY, "catch-up");
        assertEquals(SlateDbSourceConfig.GapPolicy.CATCH_UP, new SlateDbSourceConfig(props).gapPolicy());
    }
}
