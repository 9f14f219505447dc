package io.slatedb.connect.sink;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector's validation and task distribution, without a worker. */
@Timeout(30)
class SlateDbSinkConnectorTest {
    @TempDir
    Path dir;

    private Map<String, String> props(String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("slatedb.store", "file://" + dir.toAbsolutePath());
        props.put("slatedb.path", "db");
        props.put("topics", "orders");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aValidConfigurationHasNoErrors() {
        assertEquals(Map.of(), errors(new SlateDbSinkConnector().validate(props("tasks.max", "1"))));
        assertEquals(Map.of(), errors(new SlateDbSinkConnector().validate(
                props("tasks.max", "4", "slatedb.path", "kafka/${topic}/${partition}"))));
    }

    @Test
    void severalTasksOnOneDatabaseAreRefusedWithTheReason() {
        Map<String, List<String>> errors = errors(new SlateDbSinkConnector().validate(props("tasks.max", "2")));
        String message = errors.get("slatedb.path").get(0);
        assertTrue(message.contains("single writer") && message.contains("tasks.max must be 1")
                && message.contains("${partition}"), message);
        // ${topic} alone still shares a database between the partitions of a topic.
        assertTrue(errors(new SlateDbSinkConnector().validate(props("tasks.max", "2", "slatedb.path", "t/${topic}")))
                .containsKey("slatedb.path"));
    }

    @Test
    void everyMistakeIsExplainedOnItsSetting() {
        Map<String, List<String>> errors = errors(new SlateDbSinkConnector().validate(props(
                "slatedb.store", "ftp://nowhere",
                "slatedb.path", "/leading/slash",
                "tombstone.behavior", "explode",
                "key.prefix", "${partition}/",
                "slatedb.settings.flush_intervall", "1s")));
        assertEquals(List.of("slatedb.path", "slatedb.settings.flush_intervall", "slatedb.store", "key.prefix",
                        "tombstone.behavior").stream().sorted().toList(),
                errors.keySet().stream().sorted().toList(), errors.toString());
        assertTrue(errors.get("tombstone.behavior").get(0).toLowerCase(java.util.Locale.ROOT).contains("delete, ignore, fail"), errors.toString());
        assertTrue(errors.get("slatedb.path").get(0).contains("not a database path"), errors.toString());

        Map<String, List<String>> missing = errors(new SlateDbSinkConnector().validate(Map.of("topics", "t")));
        assertTrue(missing.containsKey("slatedb.store") && missing.containsKey("slatedb.path"), missing.toString());
    }

    @Test
    void offsetsChangedThroughConnectAreChangedInTheDatabasesToo() throws Exception {
        Map<String, String> props = props("slatedb.path", "kafka/${topic}/${partition}");
        TopicPartition p0 = new TopicPartition("orders", 0);
        TopicPartition p1 = new TopicPartition("orders", 1);
        Map<TopicPartition, Long> altered = new HashMap<>();
        altered.put(p0, 42L);
        altered.put(p1, 7L);
        assertTrue(new SlateDbSinkConnector().alterOffsets(props, altered));
        Map<TopicPartition, Long> reset = new HashMap<>();
        reset.put(p1, null);
        assertTrue(new SlateDbSinkConnector().alterOffsets(props, reset));

        try (ObjectStore store = ObjectStores.resolve("file://" + dir.toAbsolutePath())) {
            assertEquals(Map.of(p0, 42L), SinkDatabaseModel.read(store, "kafka/orders/0").offsets());
            assertEquals(Map.of(), SinkDatabaseModel.read(store, "kafka/orders/1").offsets());
        }
    }

    @Test
    void oneDatabaseGetsOneTaskAndPerPartitionDatabasesGetTasksMax() {
        SlateDbSinkConnector single = new SlateDbSinkConnector();
        single.start(props());
        assertEquals(1, single.taskConfigs(3).size());
        SlateDbSinkConnector scaled = new SlateDbSinkConnector();
        scaled.start(props("slatedb.path", "kafka/${topic}/${partition}"));
        assertEquals(3, scaled.taskConfigs(3).size());
        assertThrows(ConfigException.class, () -> new SlateDbSinkConnector().start(props("slatedb.settings.flush_interval", "soon")));
    }
}
