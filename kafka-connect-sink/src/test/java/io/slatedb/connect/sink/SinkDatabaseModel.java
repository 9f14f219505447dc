package io.slatedb.connect.sink;

import io.slatedb.DbIterator;
import io.slatedb.DbReader;
import io.slatedb.KeyValue;
import io.slatedb.connect.SinkOffsetKeys;
import io.slatedb.store.ObjectStore;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a database written by the sink holds, read with a {@link DbReader}, and the last-write-wins model
 * it must equal: the records of each partition below the next offset stored for it, applied in order.
 */
record SinkDatabaseModel(Map<String, String> data, Map<TopicPartition, Long> offsets) {

    /** Reads the database at {@code path}: its records (UTF-8 keys and values) and its stored offsets. */
    static SinkDatabaseModel read(ObjectStore store, String path) {
        Map<String, String> data = new TreeMap<>();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (DbReader reader = DbReader.open(path, store); DbIterator it = reader.scan(null, null)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                var offsetKey = SinkOffsetKeys.parseOffsetKey(kv.key());
                if (offsetKey.isPresent()) {
                    offsets.put(new TopicPartition(offsetKey.get().topic(), offsetKey.get().partition()),
                            SinkOffsetKeys.decodeOffset(kv.value()));
                } else {
                    assertTrue(!SinkOffsetKeys.isReserved(kv.key()), "only offsets in the reserved key space");
                    data.put(utf8(kv.key()), utf8(kv.value()));
                }
            }
        }
        return new SinkDatabaseModel(data, offsets);
    }

    /**
     * The model of {@code log} applied up to {@code offsets} (tombstones delete), with string keys and values;
     * partitions are applied one after another, so keys must not be shared by partitions.
     */
    static Map<String, String> expected(Map<TopicPartition, List<SinkRecord>> log, Map<TopicPartition, Long> offsets) {
        Map<String, String> model = new TreeMap<>();
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            List<SinkRecord> records = log.getOrDefault(e.getKey(), List.of());
            for (SinkRecord r : records.subList(0, (int) Math.min(e.getValue(), records.size()))) {
                String key = (String) r.key();
                if (r.value() == null) {
                    model.remove(key);
                } else {
                    model.put(key, (String) r.value());
                }
            }
        }
        return model;
    }

    /** Asserts the database equals the model of {@code log} up to its own stored offsets, which cover every partition. */
    void assertMatches(Map<TopicPartition, List<SinkRecord>> log) {
        assertEquals(expected(log, offsets), data, "the database equals the log applied up to its stored offsets");
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
