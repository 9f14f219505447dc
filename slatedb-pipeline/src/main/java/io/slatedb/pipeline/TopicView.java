package io.slatedb.pipeline;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A topic read from its beginning as a consumer with {@code isolation.level=read_committed} sees it (so
 * records of aborted or open transactions never count), folded into its last-write-wins state: each key's
 * latest value, a tombstone removing the key. Keys and values are read as UTF-8 text.
 * {@link #catchUp()} reads what was committed since the last call. Not thread-safe.
 */
public final class TopicView implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<String, String> state = new HashMap<>();
    private long records;

    /** A view of {@code topic} (which must exist) on the broker {@code bootstrapServers}. */
    public TopicView(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        this.partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads everything committed up to now (the partitions' last stable offsets as of this call). */
    public TopicView catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (behind(end)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    state.remove(key);
                } else {
                    state.put(key, new String(record.value(), StandardCharsets.UTF_8));
                }
                records++;
            }
        }
        return this;
    }

    /** The last-write-wins state read so far (a copy). */
    public Map<String, String> state() {
        return new HashMap<>(state);
    }

    /** How many committed records were read so far. */
    public long records() {
        return records;
    }

    private boolean behind(Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < end.get(partition)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
