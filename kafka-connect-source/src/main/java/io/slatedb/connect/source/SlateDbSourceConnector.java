package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.SlateDbException;
import io.slatedb.connect.StoreConfig;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Kafka Connect source connector that turns every write to SlateDB databases into Kafka records
 * (change data capture): a consistent snapshot of each database at a checkpoint, then its WAL from exactly
 * that checkpoint's position on. It only reads: the writer is never slowed or fenced.
 *
 * <p>Each database is one source partition ({@code {"db": "<store url>|<path>"}}); the tasks divide the
 * databases of {@link SlateDbSourceConfig#PATH}, so at most one task per database runs. See
 * {@link SlateDbSourceConfig} for the options and the module README for records, offsets and guarantees.
 *
 * <p>Exactly once (KIP-618): {@link #exactlyOnceSupport} is {@link ExactlyOnceSupport#SUPPORTED}: every
 * record carries an offset from which the task resumes without loss or duplication, and one poll never
 * splits a WAL file, so with {@code transaction.boundary=poll} (the default) every write batch is atomic in
 * Kafka. Connector-defined transaction boundaries are not supported: poll boundaries already keep
 * batches whole.
 *
 * <p>The connector cannot tell a deleted connector from a stopped or restarted one ({@link #stop} is
 * called for all of them), so a plain delete leaves the tasks' WAL retention slots to expire once
 * {@link SlateDbSourceConfig#RETENTION_MAX_LAG} has passed without a task moving them. Resetting the
 * offsets of the stopped connector (KIP-875, {@code DELETE /connectors/<name>/offsets}) releases them at
 * once, with the snapshot checkpoints: see {@link #alterOffsets}. So a connector is deleted without
 * leaving anything behind by stopping it, resetting its offsets, then deleting it.
 */
public class SlateDbSourceConnector extends SourceConnector {

    private static final Logger log = LoggerFactory.getLogger(SlateDbSourceConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return Versions.version();
    }

    @Override
    public void start(Map<String, String> props) {
        new SlateDbSourceConfig(props); // fail fast on a bad configuration
        this.props = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SlateDbSourceTask.class;
    }

    /** One task per group of databases: {@code min(maxTasks, databases)} tasks, databases dealt round-robin. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> paths = new SlateDbSourceConfig(props).paths();
        List<List<String>> groups = ConnectorUtils.groupPartitions(paths, Math.min(maxTasks, paths.size()));
        List<Map<String, String>> configs = new ArrayList<>(groups.size());
        for (List<String> group : groups) {
            Map<String, String> task = new HashMap<>(props);
            task.put(SlateDbSourceConfig.TASK_PATHS, String.join(",", group));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing held: the tasks own the databases' handles and slots.
    }

    @Override
    public ConfigDef config() {
        return SlateDbSourceConfig.CONFIG_DEF;
    }

    /**
     * Accepts new offsets for the stopped connector (KIP-875) after checking that they are offsets of
     * this connector. A database whose offset is reset (null) starts again from
     * {@link SlateDbSourceConfig#START_FROM}, so what the connector holds in it (its WAL retention slot
     * and snapshot checkpoints) is released now; when every offset is reset (as
     * {@code DELETE /connectors/<name>/offsets} does), so is what it holds in the configured databases
     * without a stored offset. A moved offset needs nothing: the task holds the slot from there when it
     * starts.
     *
     * @throws ConnectException when an offset or partition is not one of this connector's, or a database
     *                          cannot be reached to release what it holds
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        SlateDbSourceConfig config = new SlateDbSourceConfig(connectorConfig);
        String name = connectorConfig.getOrDefault("name", SlateDbSourceTask.DEFAULT_CONNECTOR_NAME);
        Set<String> reset = new LinkedHashSet<>();
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            String path = pathOf(config, entry.getKey());
            if (entry.getValue() != null) {
                SourceOffsets.parse(entry.getValue()); // throws for an offset that is not this connector's
            } else if (path != null) {
                reset.add(path);
            }
        }
        if (offsets.values().stream().allMatch(Objects::isNull)) {
            reset.addAll(config.paths());
        }
        if (!reset.isEmpty()) {
            releaseHeld(config, name, reset);
        }
        return true;
    }

    /**
     * The database of source partition {@code partition}, or null when it lies in another store (an
     * earlier configuration: nothing can be released there).
     */
    private static String pathOf(SlateDbSourceConfig config, Map<String, ?> partition) {
        Object db = partition == null ? null : partition.get(SourceOffsets.DB);
        if (!(db instanceof String text) || !text.contains("|")) {
            throw new ConnectException("the source partition " + partition + " is not a partition of this connector "
                    + "(expected {\"" + SourceOffsets.DB + "\": \"<store url>|<path>\"})");
        }
        String prefix = config.store() + "|";
        if (!text.startsWith(prefix)) {
            log.warn("Offsets reset for {}, in a store other than the configured {}: nothing held there is released",
                    text, config.store());
            return null;
        }
        return text.substring(prefix.length());
    }

    private static void releaseHeld(SlateDbSourceConfig config, String connectorName, Set<String> paths) {
        try (ObjectStore store = StoreConfig.open(config.store())) {
            for (String path : paths) {
                try (Admin admin = Admin.builder(path, store).build()) {
                    if (admin.readManifest().isEmpty()) {
                        log.info("Database {}: offsets reset; no database there, nothing to release", path);
                        continue;
                    }
                    int released = RetentionSlot.releaseAll(admin, connectorName);
                    log.info("Database {}: offsets reset; released the WAL retention slot and snapshot checkpoints "
                            + "of connector {} ({} found)", path, connectorName, released);
                } catch (SlateDbException e) {
                    throw new ConnectException("database " + path + ": releasing the WAL retention slot of "
                            + "connector " + connectorName + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Always {@link ExactlyOnceSupport#SUPPORTED}: offsets resume exactly, and a poll never splits a batch. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** {@link ConnectorTransactionBoundaries#UNSUPPORTED}: use {@code transaction.boundary=poll} or {@code interval}. */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }
}
