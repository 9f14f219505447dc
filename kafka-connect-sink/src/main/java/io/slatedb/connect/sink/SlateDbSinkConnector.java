package io.slatedb.connect.sink;

import io.slatedb.Db;
import io.slatedb.WriteBatch;
import io.slatedb.connect.EngineSettingsConfig;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.connect.StoreConfig;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SlateDB sink connector: Kafka topics into SlateDB databases in object storage, exactly once (see
 * {@link SlateDbSinkTask}). Its settings are {@link SlateDbSinkConfig}'s.
 *
 * <p>A SlateDB database has a single writer, so a connector whose {@value SlateDbSinkConfig#PATH} names one
 * database runs one task, and validation refuses {@code tasks.max} above 1 for it; with
 * {@value SlateDbSinkConfig#TOPIC_VARIABLE} and {@value SlateDbSinkConfig#PARTITION_VARIABLE} in the path
 * every topic partition has a database of its own and up to {@code tasks.max} tasks share the partitions.
 */
public class SlateDbSinkConnector extends SinkConnector {
    private static final String TASKS_MAX = "tasks.max";

    private Map<String, String> props;
    private boolean scalable;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        SlateDbSinkConfig config = new SlateDbSinkConfig(props);
        config.engineSettings(); // refuses contradicting engine settings before any task starts
        this.props = new HashMap<>(props);
        this.scalable = config.path().perTopicPartition();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SlateDbSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // One database, one writer: never more than one task for it, whatever tasks.max says.
        int tasks = scalable ? maxTasks : 1;
        List<Map<String, String>> configs = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return SlateDbSinkConfig.configDef();
    }

    /** Adds to the per-setting checks those that relate settings: engine settings, and one writer per database. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        EngineSettingsConfig.validate(connectorConfigs, result);
        ConfigValue path = find(result, SlateDbSinkConfig.PATH);
        String tasksMax = connectorConfigs.get(TASKS_MAX);
        if (path != null && path.errorMessages().isEmpty() && path.value() != null && tasksMax != null) {
            int tasks;
            try {
                tasks = Integer.parseInt(tasksMax.trim());
            } catch (NumberFormatException e) {
                return result; // Connect reports a malformed tasks.max itself
            }
            if (tasks > 1 && !DatabasePathTemplate.parse((String) path.value()).perTopicPartition()) {
                path.addErrorMessage(SlateDbSinkConfig.PATH + " '" + path.value() + "' names one database for all "
                        + "partitions, and a SlateDB database has a single writer (a second task would fence the first), "
                        + "so tasks.max must be 1, not " + tasks + "; to run several tasks give each topic partition "
                        + "its own database with " + SlateDbSinkConfig.TOPIC_VARIABLE + " and "
                        + SlateDbSinkConfig.PARTITION_VARIABLE + " in the path, such as kafka/"
                        + SlateDbSinkConfig.TOPIC_VARIABLE + "/" + SlateDbSinkConfig.PARTITION_VARIABLE);
            }
        }
        return result;
    }

    /**
     * Applies an offset change made through Connect's REST API ({@code PATCH} or {@code DELETE
     * /connectors/<name>/offsets}, with the connector stopped) to the offsets stored in the databases too,
     * since the tasks resume from those: a new offset replaces the stored one, a null offset deletes it (the
     * task then starts from Connect's offset). Each database is changed in one atomic write batch.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        SlateDbSinkConfig config = new SlateDbSinkConfig(connectorConfig);
        DatabasePathTemplate paths = config.path();
        Map<String, WriteBatch> batches = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            TopicPartition tp = e.getKey();
            WriteBatch batch = batches.computeIfAbsent(paths.render(tp.topic(), tp.partition()), p -> new WriteBatch());
            byte[] key = SinkOffsetKeys.offsetKey(tp.topic(), tp.partition());
            if (e.getValue() == null) {
                batch.delete(key);
            } else {
                batch.put(key, SinkOffsetKeys.encodeOffset(e.getValue()));
            }
        }
        try (ObjectStore store = StoreConfig.open(config.store())) {
            for (Map.Entry<String, WriteBatch> e : batches.entrySet()) {
                // The connector is stopped: opening the database fences no running task.
                try (Db db = Db.builder(e.getKey(), store).withSettings(config.engineSettings()).build()) {
                    db.write(e.getValue());
                }
            }
        } catch (ConnectException e) {
            throw e;
        } catch (Exception e) {
            throw new ConnectException("changing the offsets stored in the databases failed: " + e.getMessage(), e);
        }
        return true;
    }

    private static ConfigValue find(Config config, String name) {
        for (ConfigValue value : config.configValues()) {
            if (value.name().equals(name)) {
                return value;
            }
        }
        return null;
    }
}
