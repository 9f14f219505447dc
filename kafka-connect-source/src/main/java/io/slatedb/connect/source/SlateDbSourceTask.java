package io.slatedb.connect.source;

import io.slatedb.Admin;
import io.slatedb.connect.PluginMetricRegistry;
import io.slatedb.connect.StoreConfig;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A task of {@link SlateDbSourceConnector}: captures the databases the connector gave it, each from its
 * stored offset (or as {@link SlateDbSourceConfig#START_FROM} says), polling them in turn. When none has
 * anything new, a poll waits up to {@link SlateDbSourceConfig#POLL_INTERVAL_MS} (cut short by
 * {@link #stop}) and returns null, so the worker can pause or stop the task.
 */
public class SlateDbSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(SlateDbSourceTask.class);
    static final String DEFAULT_CONNECTOR_NAME = "slatedb-source";

    private final Clock clock;
    /** Opens the store of {@link SlateDbSourceConfig#STORE}'s URL (tests wrap it). */
    private final Function<String, ObjectStore> storeOpener;
    /** Serializes polls with {@link #stop}: stop closes the databases only once no poll uses them. */
    private final Object lock = new Object();
    private final Object idle = new Object();
    private final Map<Map<String, ?>, DatabaseCapture> captures = new LinkedHashMap<>();
    private final List<AutoCloseable> registries = new ArrayList<>();
    private SlateDbSourceConfig config;
    private ObjectStore store;
    private volatile boolean stopping;
    private int turn;

    /** A task on the system clock (what the worker creates). */
    public SlateDbSourceTask() {
        this(Clock.systemUTC());
    }

    /** A task on {@code clock}, which stamps and expires its checkpoints (tests control it). */
    SlateDbSourceTask(Clock clock) {
        this(clock, StoreConfig::open);
    }

    /** A task on {@code clock} whose store {@code storeOpener} opens from the URL (tests inject faults). */
    SlateDbSourceTask(Clock clock, Function<String, ObjectStore> storeOpener) {
        this.clock = clock;
        this.storeOpener = storeOpener;
    }

    @Override
    public String version() {
        return Versions.version();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new SlateDbSourceConfig(props);
        String connectorName = props.getOrDefault("name", DEFAULT_CONNECTOR_NAME);
        store = storeOpener.apply(config.store());
        List<String> paths = config.taskPaths();
        List<Map<String, String>> partitions = paths.stream()
                .map(path -> SourceOffsets.partition(config.store(), path)).toList();
        Map<Map<String, String>, Map<String, Object>> offsets =
                new HashMap<>(context.offsetStorageReader().offsets(partitions));
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            Admin admin = Admin.builder(path, store).withClock(clock).build();
            DatabaseCapture capture = new DatabaseCapture(path, store, admin, config, connectorName,
                    offsets.get(partitions.get(i)), new CaptureMetrics(metricsFor(path), clock), clock);
            captures.put(partitions.get(i), capture);
        }
        log.info("Capturing {} database(s) of {} into {}", paths.size(), config.store(),
                paths.stream().map(config::topicFor).distinct().toList());
    }

    /** The task's plugin metrics tagged with the database, or a private registry where the worker has none. */
    private MetricRegistry metricsFor(String path) {
        PluginMetrics plugin = null;
        try {
            plugin = context.pluginMetrics();
        } catch (UnsupportedOperationException e) {
            // a context without plugin metrics (tests, older workers)
        }
        if (plugin == null) {
            return new SimpleMetricRegistry();
        }
        PluginMetricRegistry registry = new PluginMetricRegistry(plugin, Map.of("database", path));
        registries.add(registry);
        return registry;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        synchronized (lock) {
            if (stopping) {
                return null;
            }
            List<DatabaseCapture> all = new ArrayList<>(captures.values());
            int max = config.maxRecordsPerPoll();
            for (int i = 0; i < all.size() && out.size() < max; i++) {
                out.addAll(all.get((turn + i) % all.size()).poll(max - out.size()));
            }
            turn = all.isEmpty() ? 0 : (turn + 1) % all.size();
        }
        if (!out.isEmpty()) {
            return out;
        }
        synchronized (idle) {
            if (!stopping) {
                idle.wait(config.pollInterval().toMillis());
            }
        }
        return null;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        // Also called with null metadata for a record dropped by a transform or a tolerated error: the
        // record is handled all the same.
        DatabaseCapture capture = captures.get(record.sourcePartition());
        if (capture != null) {
            capture.acknowledge(record.sourceOffset());
        }
    }

    @Override
    public void commit() {
        for (DatabaseCapture capture : captures()) {
            capture.commit();
        }
    }

    private Collection<DatabaseCapture> captures() {
        synchronized (lock) {
            return new ArrayList<>(captures.values());
        }
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (idle) {
            idle.notifyAll();
        }
        synchronized (lock) {
            for (DatabaseCapture capture : captures.values()) {
                try {
                    capture.close();
                } catch (RuntimeException e) {
                    log.warn("Closing the capture of {} failed: {}", capture.path(), e.getMessage());
                }
            }
            captures.clear();
            for (AutoCloseable registry : registries) {
                try {
                    registry.close();
                } catch (Exception e) {
                    log.warn("Removing metrics failed: {}", e.getMessage());
                }
            }
            registries.clear();
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }

    /** The capture of database {@code path}, for tests. */
    DatabaseCapture capture(String path) {
        return captures.get(SourceOffsets.partition(config.store(), path));
    }
}
