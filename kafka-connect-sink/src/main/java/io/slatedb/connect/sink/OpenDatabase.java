package io.slatedb.connect.sink;

import io.slatedb.Db;
import io.slatedb.Settings;
import io.slatedb.FlushType;
import io.slatedb.WriteBatch;
import io.slatedb.WriteOptions;
import io.slatedb.connect.PluginMetricRegistry;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One database the task writes, and the Kafka offsets it holds: for each of its topic partitions the
 * next offset to consume as applied in memory, and as known to be durable. Used by the task thread only.
 */
final class OpenDatabase {
    private final String path;
    private final Db db;
    private final AutoCloseable metrics;
    private final Map<TopicPartition, Long> applied = new HashMap<>();
    private final Map<TopicPartition, Long> durable = new HashMap<>();
    private boolean dirty;

    private OpenDatabase(String path, Db db, MetricRegistry metrics) {
        this.path = path;
        this.db = db;
        this.metrics = metrics instanceof AutoCloseable c ? c : () -> { };
    }

    /**
     * Opens the database at {@code path} as its writer, publishing its engine metrics as the task's plugin
     * metrics tagged {@code database=<path>} (or to a registry of its own on a worker without plugin metrics).
     */
    static OpenDatabase open(String path, ObjectStore store, Settings settings, RetryPolicy retryPolicy,
                             PluginMetrics pluginMetrics) {
        MetricRegistry registry = pluginMetrics == null ? new SimpleMetricRegistry()
                : new PluginMetricRegistry(pluginMetrics, Map.of("database", path));
        try {
            Db db = Db.builder(path, store).withSettings(settings).withRetryPolicy(retryPolicy).withMetrics(registry).build();
            return new OpenDatabase(path, db, registry);
        } catch (RuntimeException e) {
            if (registry instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // see closeMetrics
                }
            }
            throw e;
        }
    }

    String path() {
        return path;
    }

    /**
     * Reads the next offset stored for {@code tp} and takes it as applied and durable.
     *
     * @return the stored next offset, or null when the database holds none for {@code tp}
     */
    Long loadOffset(TopicPartition tp) {
        byte[] value = db.get(SinkOffsetKeys.offsetKey(tp.topic(), tp.partition()));
        if (value == null) {
            applied.remove(tp);
            durable.remove(tp);
            return null;
        }
        long next;
        try {
            next = SinkOffsetKeys.decodeOffset(value);
        } catch (IllegalArgumentException e) {
            throw new ConnectException("the database " + path + " holds a malformed sink offset for " + tp
                    + " (was it written by something else?): " + e.getMessage(), e);
        }
        applied.put(tp, next);
        durable.put(tp, next);
        return next;
    }

    /** The next offset of {@code tp} applied in memory, or null when none is known. */
    Long applied(TopicPartition tp) {
        return applied.get(tp);
    }

    /** The next offset of {@code tp} known durable, or null when none is known. */
    Long durable(TopicPartition tp) {
        return durable.get(tp);
    }

    /**
     * Writes {@code batch} with the next offsets of {@code advanced} added to it, in one atomic write,
     * without waiting for durability.
     */
    void write(WriteBatch batch, Map<TopicPartition, Long> advanced) {
        for (Map.Entry<TopicPartition, Long> e : advanced.entrySet()) {
            batch.put(SinkOffsetKeys.offsetKey(e.getKey().topic(), e.getKey().partition()),
                    SinkOffsetKeys.encodeOffset(e.getValue()));
        }
        db.write(batch, WriteOptions.NO_AWAIT);
        applied.putAll(advanced);
        dirty = true;
    }

    /** Starts a WAL flush when something was written since the last one; null when there is nothing to flush. */
    CompletableFuture<Void> flushAsync() {
        return dirty ? db.flushAsync(FlushType.WAL) : null;
    }

    /** Records that the flush started before any later write completed: everything applied is durable. */
    void flushed() {
        durable.putAll(applied);
        dirty = false;
    }

    /** Forgets {@code tp}, which the task no longer owns. */
    void forget(TopicPartition tp) {
        applied.remove(tp);
        durable.remove(tp);
    }

    /** Closes the database cleanly: everything written becomes durable. */
    void close() {
        try {
            db.close();
        } finally {
            closeMetrics();
        }
    }

    /** Drops a handle that failed or was fenced: its unflushed writes are lost, its offsets are forgotten. */
    void abandon() {
        try {
            db.close(); // a failed or fenced database closes without flushing
        } catch (RuntimeException ignored) {
            // the handle is already broken; nothing else to release
        } finally {
            closeMetrics();
        }
    }

    private void closeMetrics() {
        try {
            metrics.close();
        } catch (Exception ignored) {
            // removing metrics does not fail in practice; never mask the close itself
        }
    }
}
