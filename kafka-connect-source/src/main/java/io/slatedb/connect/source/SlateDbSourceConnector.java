package io.slatedb.connect.source;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * called for both), so it does not release the tasks' WAL retention slots itself: each expires once
 * {@link SlateDbSourceConfig#RETENTION_MAX_LAG} has passed without a task moving it.
 */
public class SlateDbSourceConnector extends SourceConnector {

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
