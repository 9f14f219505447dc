package io.slatedb.flink.state;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The database key layout of keyed state: {@code [key group][state id][key][namespace][map user key]}.
 * The key group comes first, in Flink's 1 or 2 big-endian bytes (2 when there are more than 128 key
 * groups), so that a key-group range is one key range of the database (a restore projects it). The
 * state id is 4 bytes derived from the state name, the same in every subtask and job, so that the
 * databases of several subtasks can be united. Key and namespace are written as Flink's RocksDB
 * backend writes them (a length suffix when both are of variable size).
 */
final class StateKeys<K, N> {

    static final int STATE_ID_BYTES = 4;

    private final int keyGroupPrefixBytes;
    private final int stateId;
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<N> namespaceSerializer;
    private final boolean ambiguousKeyPossible;
    private final DataOutputSerializer out = new DataOutputSerializer(64);

    StateKeys(int keyGroupPrefixBytes, int stateId, TypeSerializer<K> keySerializer, TypeSerializer<N> namespaceSerializer) {
        this.keyGroupPrefixBytes = keyGroupPrefixBytes;
        this.stateId = stateId;
        this.keySerializer = keySerializer;
        this.namespaceSerializer = namespaceSerializer;
        this.ambiguousKeyPossible = CompositeKeySerializationUtils.isAmbiguousKeyPossible(keySerializer, namespaceSerializer);
    }

    /** The state id of {@code stateName}: the first 4 bytes of its SHA-256. */
    static int stateId(String stateName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(stateName.getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xFF) << 24) | ((digest[1] & 0xFF) << 16) | ((digest[2] & 0xFF) << 8) | (digest[3] & 0xFF);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** {@code [key group][queue id]}: the prefix of a timer queue's elements in one key group. */
    static byte[] queuePrefix(int keyGroupPrefixBytes, int keyGroup, int queueId) {
        DataOutputSerializer out = new DataOutputSerializer(keyGroupPrefixBytes + STATE_ID_BYTES);
        try {
            CompositeKeySerializationUtils.writeKeyGroup(keyGroup, keyGroupPrefixBytes, out);
            out.writeInt(queueId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }

    /** {@code [key group][state id]}: the prefix of every entry of this state in one key group. */
    byte[] statePrefix(int keyGroup) {
        out.clear();
        try {
            writeStatePrefix(keyGroup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }

    /** {@code [key group][state id][key][namespace]}. */
    byte[] keyAndNamespace(int keyGroup, K key, N namespace) {
        out.clear();
        try {
            writeKeyAndNamespace(keyGroup, key, namespace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }

    /** {@code [key group][state id][key][namespace][user key]}. */
    <UK> byte[] keyNamespaceAndUserKey(int keyGroup, K key, N namespace, UK userKey, TypeSerializer<UK> userKeySerializer) {
        out.clear();
        try {
            writeKeyAndNamespace(keyGroup, key, namespace);
            userKeySerializer.serialize(userKey, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }

    private void writeStatePrefix(int keyGroup) throws IOException {
        CompositeKeySerializationUtils.writeKeyGroup(keyGroup, keyGroupPrefixBytes, out);
        out.writeInt(stateId);
    }

    private void writeKeyAndNamespace(int keyGroup, K key, N namespace) throws IOException {
        writeStatePrefix(keyGroup);
        CompositeKeySerializationUtils.writeKey(key, keySerializer, out, ambiguousKeyPossible);
        CompositeKeySerializationUtils.writeNameSpace(namespace, namespaceSerializer, out, ambiguousKeyPossible);
    }

    /** A database key of this state, read back. */
    record Decoded<K, N>(K key, N namespace, int userKeyOffset) {
    }

    /** Reads key and namespace of a database key of this state. */
    Decoded<K, N> decode(byte[] dbKey) {
        DataInputDeserializer in = new DataInputDeserializer(dbKey, keyGroupPrefixBytes + STATE_ID_BYTES,
                dbKey.length - keyGroupPrefixBytes - STATE_ID_BYTES);
        try {
            K key = CompositeKeySerializationUtils.readKey(keySerializer, in, ambiguousKeyPossible);
            N namespace = CompositeKeySerializationUtils.readNamespace(namespaceSerializer, in, ambiguousKeyPossible);
            return new Decoded<>(key, namespace, in.getPosition());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int keyGroupPrefixBytes() {
        return keyGroupPrefixBytes;
    }

    TypeSerializer<K> keySerializer() {
        return keySerializer;
    }

    TypeSerializer<N> namespaceSerializer() {
        return namespaceSerializer;
    }
}
