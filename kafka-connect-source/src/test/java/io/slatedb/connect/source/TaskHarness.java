package io.slatedb.connect.source;

import io.slatedb.connect.StoreConfig;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a {@link SlateDbSourceTask} the way a worker does, without one: offsets kept in a map that
 * outlives the task (as the offsets topic does), records "sent" by {@link #commit}, which stores their
 * offsets, acknowledges them and calls {@code commit()}.
 */
final class TaskHarness implements AutoCloseable {

    /** The committed offsets, by source partition: survives task restarts. */
    final Map<Map<String, ?>, Map<String, Object>> offsets = new HashMap<>();
    private final Map<String, String> props;
    private final Clock clock;
    private final Function<String, ObjectStore> storeOpener;
    private SlateDbSourceTask task;

    TaskHarness(Map<String, String> props, Clock clock) {
        this(props, clock, StoreConfig::open);
    }

    /** A harness whose tasks open their store with {@code storeOpener}. */
    TaskHarness(Map<String, String> props, Clock clock, Function<String, ObjectStore> storeOpener) {
        this.props = props;
        this.clock = clock;
        this.storeOpener = storeOpener;
    }

    /** Starts a new task from the committed offsets. */
    SlateDbSourceTask start() {
        task = new SlateDbSourceTask(clock, storeOpener);
        task.initialize(new Context());
        task.start(props);
        return task;
    }

    SlateDbSourceTask task() {
        return task;
    }

    /** One poll; an empty list for null. */
    List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> out = task.poll();
        return out == null ? List.of() : out;
    }

    /** Polls until {@code count} records came (more if the last poll brought more), within {@code timeout}. */
    List<SourceRecord> pollAtLeast(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SourceRecord> out = new ArrayList<>();
        while (out.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + out.size() + " of " + count + " records within " + timeout + ": "
                        + out);
            }
            out.addAll(pollOnce());
        }
        return out;
    }

    /** Polls until a poll returns nothing; everything returned before. */
    List<SourceRecord> drain() throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        for (List<SourceRecord> batch = pollOnce(); !batch.isEmpty(); batch = pollOnce()) {
            out.addAll(batch);
        }
        return out;
    }

    /** What the worker does once records are in Kafka: stores their offsets, acknowledges them, commits. */
    void commit(Collection<SourceRecord> records) {
        for (SourceRecord record : records) {
            offsets.put(record.sourcePartition(), new HashMap<>(record.sourceOffset()));
            task.commitRecord(record, null);
        }
        task.commit();
    }

    void stop() {
        if (task != null) {
            task.stop();
            task = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private final class Context implements SourceTaskContext {
        @Override
        public Map<String, String> configs() {
            return props;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    Map<String, Object> offset = offsets.get(partition);
                    return offset == null ? null : new HashMap<>(offset);
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                    for (Map<String, T> partition : partitions) {
                        Map<String, Object> offset = offset(partition);
                        if (offset != null) {
                            out.put(partition, offset);
                        }
                    }
                    return out;
                }
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
