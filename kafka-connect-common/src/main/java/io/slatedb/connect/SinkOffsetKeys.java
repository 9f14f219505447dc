package io.slatedb.connect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The reserved key space of the SlateDB connectors, and the sink's Kafka offsets kept in it.
 *
 * <p>Every key that starts with {@link #reservedPrefix()} (the bytes {@code 00 00}, the ASCII text
 * {@code slatedb.connect}, then {@code 00}) belongs to the connectors: the sink never writes a record's key
 * there (a record whose key would land there is rejected), and the source connector never emits it. Readers
 * of a database a sink writes skip keys for which {@link #isReserved} is true.
 *
 * <p>The sink stores, in the same atomic write batch as the records themselves, the next offset to
 * consume of each topic partition it has applied: the key is the reserved prefix, {@code offsets/}, the
 * topic name, {@code /} and the partition number in decimal (all ASCII, so {@code slatedb scan} shows it
 * readably; topic names cannot contain {@code /}); the value is that offset as 8 bytes, big-endian.
 */
public final class SinkOffsetKeys {

    private static final byte[] PREFIX = concat(new byte[] {0, 0}, ascii("slatedb.connect"), new byte[] {0});
    private static final byte[] OFFSETS = concat(PREFIX, ascii("offsets/"));

    private SinkOffsetKeys() {
    }

    /** The first bytes of every reserved key (a fresh copy). */
    public static byte[] reservedPrefix() {
        return PREFIX.clone();
    }

    /** The key of the sink's offset of {@code topic}'s partition {@code partition}. */
    public static byte[] offsetKey(String topic, int partition) {
        if (topic == null || topic.isEmpty() || topic.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a Kafka topic name: " + topic);
        }
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition);
        }
        return concat(OFFSETS, ascii(topic + "/" + partition));
    }

    /** The key prefix under which all of the sink's offsets are stored, for a scan. */
    public static byte[] offsetKeyPrefix() {
        return OFFSETS.clone();
    }

    /** The key prefix of the sink's offsets of {@code topic}'s partitions, for a scan. */
    public static byte[] offsetKeyPrefix(String topic) {
        return concat(OFFSETS, ascii(topic + "/"));
    }

    /** Whether {@code key} is in the connectors' reserved key space. */
    public static boolean isReserved(byte[] key) {
        return startsWith(key, PREFIX);
    }

    /**
     * The topic partition an offset key names, or empty when {@code key} is not an offset key.
     */
    public static Optional<TopicPartitionOffsetKey> parseOffsetKey(byte[] key) {
        if (!startsWith(key, OFFSETS)) {
            return Optional.empty();
        }
        String rest = new String(key, OFFSETS.length, key.length - OFFSETS.length, StandardCharsets.US_ASCII);
        int slash = rest.lastIndexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(rest.substring(slash + 1));
            return partition < 0 ? Optional.empty()
                    : Optional.of(new TopicPartitionOffsetKey(rest.substring(0, slash), partition));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The value stored for next offset {@code nextOffset}. */
    public static byte[] encodeOffset(long nextOffset) {
        if (nextOffset < 0) {
            throw new IllegalArgumentException("negative offset " + nextOffset);
        }
        return ByteBuffer.allocate(Long.BYTES).putLong(nextOffset).array();
    }

    /**
     * The next offset an offset value holds.
     *
     * @throws IllegalArgumentException when {@code value} is not 8 bytes holding a non-negative offset,
     *                                  which only a database written by something else can hold
     */
    public static long decodeOffset(byte[] value) {
        if (value == null || value.length != Long.BYTES) {
            throw new IllegalArgumentException("a sink offset value is 8 bytes, got "
                    + (value == null ? "none" : value.length + ": " + Arrays.toString(value)));
        }
        long offset = ByteBuffer.wrap(value).getLong();
        if (offset < 0) {
            throw new IllegalArgumentException("a sink offset value holds a negative offset " + offset);
        }
        return offset;
    }

    /** A topic partition named by an offset key. */
    public record TopicPartitionOffsetKey(String topic, int partition) {
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
