package io.slatedb.connect.sink;

import io.slatedb.WriteBatch;
import io.slatedb.connect.SinkOffsetKeys;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a record's key and value become database bytes: {@code byte[]} and {@link ByteBuffer} as they are,
 * a {@link String} as UTF-8, numbers and booleans as their decimal text, and structured data (a
 * {@link Struct}, a {@link Map}, a list) as {@link CanonicalJson}. The key gets the configured prefix.
 */
final class RecordBytes {

    private final String prefixTemplate;
    private final boolean prefixPerTopic;
    private final byte[] fixedPrefix;
    private final Map<String, byte[]> prefixes = new ConcurrentHashMap<>();

    RecordBytes(String prefixTemplate) {
        this.prefixTemplate = prefixTemplate;
        this.prefixPerTopic = prefixTemplate.contains(SlateDbSinkConfig.TOPIC_VARIABLE);
        this.fixedPrefix = prefixTemplate.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The database key of {@code record}: the prefix and the key's bytes.
     *
     * @throws DataException when the record has no key, a key of an unsupported type, or a key that is
     *                       empty, too long or in the connectors' reserved key space
     */
    byte[] key(SinkRecord record) {
        if (record.key() == null) {
            throw new DataException("the record " + coordinates(record) + " has a null key; a database key cannot be made of it");
        }
        byte[] raw = bytes(record.key(), "key", record);
        byte[] prefix = prefix(record.topic());
        byte[] key;
        if (prefix.length == 0) {
            key = raw;
        } else {
            key = new byte[prefix.length + raw.length];
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            System.arraycopy(raw, 0, key, prefix.length, raw.length);
        }
        if (key.length == 0) {
            throw new DataException("the record " + coordinates(record) + " has an empty key and there is no key prefix");
        }
        if (key.length > WriteBatch.MAX_KEY_BYTES) {
            throw new DataException("the key of the record " + coordinates(record) + " is " + key.length
                    + " bytes, longer than the maximum of " + WriteBatch.MAX_KEY_BYTES);
        }
        if (SinkOffsetKeys.isReserved(key)) {
            throw new DataException("the key of the record " + coordinates(record)
                    + " starts with the bytes 00 00 'slatedb.connect' 00, the key space the connectors reserve for their offsets");
        }
        return key;
    }

    /**
     * The database value of a record whose value is not null.
     *
     * @throws DataException for an unsupported type or a value that is too long
     */
    byte[] value(SinkRecord record) {
        byte[] value = bytes(record.value(), "value", record);
        if (value.length > WriteBatch.MAX_VALUE_BYTES) {
            throw new DataException("the value of the record " + coordinates(record) + " is " + value.length
                    + " bytes, longer than the maximum of " + WriteBatch.MAX_VALUE_BYTES);
        }
        return value;
    }

    private byte[] prefix(String topic) {
        if (!prefixPerTopic) {
            return fixedPrefix;
        }
        return prefixes.computeIfAbsent(topic, t -> prefixTemplate.replace(SlateDbSinkConfig.TOPIC_VARIABLE, t)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(Object data, String what, SinkRecord record) {
        if (data instanceof byte[] b) {
            return b;
        }
        if (data instanceof ByteBuffer b) {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        }
        if (data instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (data instanceof Number || data instanceof Boolean || data instanceof Struct || data instanceof Map<?, ?>
                || data instanceof Collection<?> || data instanceof java.util.Date) {
            try {
                return CanonicalJson.encode(data).getBytes(StandardCharsets.UTF_8);
            } catch (DataException e) {
                throw new DataException("the " + what + " of the record " + coordinates(record) + ": " + e.getMessage(), e);
            }
        }
        throw new DataException("the " + what + " of the record " + coordinates(record) + " is a "
                + data.getClass().getName() + ", which the sink cannot turn into bytes");
    }

    /** The record's original topic, partition and offset, for messages. */
    static String coordinates(SinkRecord record) {
        return record.originalTopic() + "-" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
    }
}
