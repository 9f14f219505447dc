package io.slatedb.connect.sink;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Drives a {@link SlateDbSinkTask} as Connect's WorkerSinkTask does, over an in-memory topic log: rewinds
 * the task asked for are applied before each poll, a batch that failed with a {@link RetriableException}
 * is redelivered as it was, a commit keeps only the offsets preCommit returned (and only up to what was
 * consumed), and a preCommit that throws rewinds to the last committed offsets.
 */
final class SimulatedWorker {
    final SlateDbSinkTask task;
    final FakeSinkTaskContext context;
    final Map<TopicPartition, List<SinkRecord>> log;
    final Map<TopicPartition, Long> position = new TreeMap<>(SimulatedWorker::compare);
    final Map<TopicPartition, Long> consumed = new HashMap<>();
    final Map<TopicPartition, Long> committed;
    int retriableFailures;
    private List<SinkRecord> retained;

    /**
     * @param committed Connect's committed offsets (the consumer group's), shared across workers of a test
     */
    SimulatedWorker(SlateDbSinkTask task, Map<String, String> props, Map<TopicPartition, List<SinkRecord>> log,
                    Map<TopicPartition, Long> committed, Set<TopicPartition> partitions) {
        this.task = task;
        this.context = new FakeSinkTaskContext(props);
        this.log = log;
        this.committed = committed;
        task.initialize(context);
        task.start(props);
        assign(partitions);
    }

    void assign(Set<TopicPartition> partitions) {
        context.assignment.addAll(partitions);
        for (TopicPartition tp : partitions) {
            long start = committed.getOrDefault(tp, 0L);
            position.put(tp, start);
            consumed.put(tp, start);
        }
        task.open(partitions);
        rewind();
    }

    void revoke(Set<TopicPartition> partitions) {
        commit();
        task.close(partitions);
        context.assignment.removeAll(partitions);
        partitions.forEach(position::remove);
        partitions.forEach(consumed::remove);
    }

    /** One poll: up to {@code max} records per partition, or the retained batch. Returns whether put succeeded. */
    boolean poll(int max) {
        rewind();
        List<SinkRecord> batch = retained;
        if (batch == null) {
            batch = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> e : position.entrySet()) {
                List<SinkRecord> records = log.getOrDefault(e.getKey(), List.of());
                int from = (int) Math.min(e.getValue(), records.size());
                int to = Math.min(from + max, records.size());
                batch.addAll(records.subList(from, to));
                e.setValue((long) to);
            }
        }
        try {
            task.put(new ArrayList<>(batch));
        } catch (RetriableException e) {
            retained = batch;
            retriableFailures++;
            return false;
        }
        retained = null;
        for (SinkRecord r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            consumed.put(tp, r.kafkaOffset() + 1);
        }
        return true;
    }

    /** Polls until every partition is consumed to its end and nothing is retained; bounded. */
    void drain(int max) {
        for (int i = 0; i < 100_000; i++) {
            boolean done = retained == null && context.offsets.isEmpty();
            for (Map.Entry<TopicPartition, Long> e : position.entrySet()) {
                done &= e.getValue() >= log.getOrDefault(e.getKey(), List.of()).size();
            }
            if (done) {
                return;
            }
            poll(max);
        }
        throw new AssertionError("the task did not consume the log");
    }

    /** An offset commit: preCommit, then keep what may be committed. */
    Map<TopicPartition, OffsetAndMetadata> commit() {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        consumed.forEach((tp, offset) -> current.put(tp, new OffsetAndMetadata(offset)));
        Map<TopicPartition, OffsetAndMetadata> returned;
        try {
            returned = task.preCommit(current);
        } catch (RuntimeException e) {
            Map<TopicPartition, Long> back = committedOf(position.keySet());
            position.putAll(back);
            consumed.putAll(back);
            return Map.of();
        }
        returned.forEach((tp, offset) -> {
            if (context.assignment.contains(tp) && offset.offset() <= consumed.get(tp)) {
                committed.put(tp, offset.offset());
            }
        });
        return returned;
    }

    /** A clean shutdown: a final commit, close, stop. */
    void stop() {
        commit();
        task.close(new ArrayList<>(context.assignment));
        task.stop();
    }

    private Map<TopicPartition, Long> committedOf(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            out.put(tp, committed.getOrDefault(tp, 0L));
        }
        return out;
    }

    private void rewind() {
        for (Map.Entry<TopicPartition, Long> e : context.offsets.entrySet()) {
            if (position.containsKey(e.getKey())) {
                position.put(e.getKey(), e.getValue());
                consumed.put(e.getKey(), e.getValue());
            }
        }
        context.offsets.clear();
    }

    private static int compare(TopicPartition a, TopicPartition b) {
        int c = a.topic().compareTo(b.topic());
        return c != 0 ? c : Integer.compare(a.partition(), b.partition());
    }
}
