package io.slatedb.flink.state;

import io.slatedb.DbIterator;
import io.slatedb.KeyValue;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.queryablestate.client.state.serialization.KvStateSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.StateSnapshotTransformer;
import org.apache.flink.runtime.state.StateSnapshotTransformer.StateSnapshotTransformFactory;
import org.apache.flink.runtime.state.internal.InternalKvState;
import org.apache.flink.runtime.state.ttl.TtlAwareSerializer;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.StateMigrationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * What every keyed state kept in the database shares: its meta info (serializers), the key layout of
 * {@link StateKeys}, the current namespace, and the database key of the current key and namespace.
 *
 * @param <K>  the key type
 * @param <N>  the namespace type
 * @param <SV> the type of the value the state stores (a list for ListState, a map for MapState)
 */
abstract class AbstractSlateDbState<K, N, SV> implements InternalKvState<K, N, SV> {

    final SlateDbKeyedStateBackend<K> backend;
    final RegisteredKeyValueStateBackendMetaInfo<N, SV> metaInfo;
    final StateKeys<K, N> keys;
    final SV defaultValue;
    /** The TTL the engine expires this state's values after, or -1 when it does not expire them. */
    private final long expireAfterMillis;
    N currentNamespace;

    AbstractSlateDbState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, SV> metaInfo,
                         int stateId, SV defaultValue) {
        this.backend = backend;
        this.metaInfo = metaInfo;
        this.expireAfterMillis = backend.engineTtlMillis(metaInfo.getName());
        this.keys = new StateKeys<>(backend.keyGroupPrefixBytes(), stateId, backend.getKeySerializer(),
                metaInfo.getNamespaceSerializer());
        this.defaultValue = defaultValue;
    }

    @Override
    public TypeSerializer<K> getKeySerializer() {
        return backend.getKeySerializer();
    }

    @Override
    public TypeSerializer<N> getNamespaceSerializer() {
        return metaInfo.getNamespaceSerializer();
    }

    @Override
    public TypeSerializer<SV> getValueSerializer() {
        return metaInfo.getStateSerializer();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        this.currentNamespace = namespace;
    }

    /** The database key of the current key and namespace. */
    byte[] currentKey() {
        return keys.keyAndNamespace(backend.getCurrentKeyGroupIndex(), backend.getCurrentKey(), currentNamespace);
    }

    /** The database key of the current key and {@code namespace}. */
    byte[] currentKey(N namespace) {
        return keys.keyAndNamespace(backend.getCurrentKeyGroupIndex(), backend.getCurrentKey(), namespace);
    }

    /**
     * Writes a stored value. A state whose TTL the engine enforces writes it with an expire time: the
     * value's last access timestamp (the first 8 bytes of Flink's TTL value, at {@link #timestampOffset})
     * plus the TTL, so the engine drops it once expired (in L0 flushes and compactions).
     */
    void write(byte[] dbKey, byte[] stored) {
        int at = timestampOffset(stored);
        if (expireAfterMillis < 0 || at < 0 || stored.length < at + Long.BYTES) {
            backend.put(dbKey, stored);
            return;
        }
        long lastAccess = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            lastAccess = (lastAccess << 8) | (stored[at + i] & 0xFF);
        }
        long expireAt = lastAccess + expireAfterMillis;
        if (expireAt < lastAccess) {
            // Beyond any representable time (Flink caps it at Long.MAX_VALUE): it never expires.
            backend.put(dbKey, stored);
            return;
        }
        backend.put(dbKey, stored, expireAt);
    }

    /** Where the TTL timestamp is in a stored value, or -1 when it has none; a map value has a null flag first. */
    int timestampOffset(byte[] stored) {
        return 0;
    }

    SV defaultValue() {
        if (defaultValue == null) {
            return null;
        }
        return getValueSerializer().copy(defaultValue);
    }

    @Override
    public void clear() {
        backend.delete(currentKey());
    }

    @Override
    public byte[] getSerializedValue(byte[] serializedKeyAndNamespace, TypeSerializer<K> safeKeySerializer,
                                     TypeSerializer<N> safeNamespaceSerializer, TypeSerializer<SV> safeValueSerializer)
            throws Exception {
        Tuple2<K, N> keyAndNamespace = KvStateSerializer.deserializeKeyAndNamespace(
                serializedKeyAndNamespace, safeKeySerializer, safeNamespaceSerializer);
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(keyAndNamespace.f0, backend.getNumberOfKeyGroups());
        StateKeys<K, N> safeKeys = new StateKeys<>(backend.keyGroupPrefixBytes(), keysStateId(), safeKeySerializer,
                safeNamespaceSerializer);
        return serializedValueOf(safeKeys.keyAndNamespace(keyGroup, keyAndNamespace.f0, keyAndNamespace.f1),
                safeValueSerializer);
    }

    /** The value at {@code dbKey} serialized with {@code safeValueSerializer} for queryable state, or null. */
    byte[] serializedValueOf(byte[] dbKey, TypeSerializer<SV> safeValueSerializer) throws Exception {
        byte[] bytes = backend.get(dbKey);
        if (bytes == null) {
            return null;
        }
        return KvStateSerializer.serializeValue(deserialize(bytes, safeValueSerializer), safeValueSerializer);
    }

    private int keysStateId() {
        return backend.stateIdOf(metaInfo.getName());
    }

    @Override
    public StateIncrementalVisitor<K, N, SV> getStateIncrementalVisitor(int recommendedMaxNumberOfReturnedRecords) {
        // Incremental cleanup visits a heap state table; expired entries here are dropped by the engine.
        throw new UnsupportedOperationException("Incremental TTL cleanup is a heap state backend feature");
    }

    /**
     * Rewrites every stored value of this state from {@code prior}'s format to {@code current}'s, key group
     * by key group, as a state migration does.
     */
    void migrateValues(TtlAwareSerializer<SV, ?> prior, TtlAwareSerializer<SV, ?> current, TtlTimeProvider time)
            throws StateMigrationException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        for (int keyGroup = backend.getKeyGroupRange().getStartKeyGroup();
             keyGroup <= backend.getKeyGroupRange().getEndKeyGroup(); keyGroup++) {
            try (DbIterator it = backend.scanPrefix(keys.statePrefix(keyGroup))) {
                while (it.hasNext()) {
                    KeyValue kv = it.next();
                    out.clear();
                    migrateValue(new DataInputDeserializer(kv.value()), out, prior, current, time);
                    write(kv.key(), out.getCopyOfBuffer());
                }
            }
        }
    }

    /**
     * Applies a snapshot transformer (Flink's TTL cleanup in full snapshots) to every stored value of this
     * state: a value it filters out is deleted, a changed one rewritten. Snapshots are SlateDB checkpoints
     * of the live database, so the cleanup happens in the database just before the checkpoint.
     */
    void cleanUp(StateSnapshotTransformFactory<?> transforms) {
        Optional<StateSnapshotTransformer<byte[]>> transformer = valueTransformer(transforms);
        if (transformer.isEmpty()) {
            return;
        }
        for (int keyGroup = backend.getKeyGroupRange().getStartKeyGroup();
             keyGroup <= backend.getKeyGroupRange().getEndKeyGroup(); keyGroup++) {
            try (DbIterator it = backend.scanPrefix(keys.statePrefix(keyGroup))) {
                while (it.hasNext()) {
                    KeyValue kv = it.next();
                    byte[] kept = transformer.get().filterOrTransform(kv.value());
                    if (kept == null) {
                        backend.delete(kv.key());
                    } else if (kept != kv.value()) {
                        write(kv.key(), kept);
                    }
                }
            }
        }
    }

    /** The transformer of one stored value; values that hold several elements override this. */
    Optional<StateSnapshotTransformer<byte[]>> valueTransformer(StateSnapshotTransformFactory<?> transforms) {
        return transforms.createForSerializedState();
    }

    /** Rewrites one stored value; values that hold several elements override this. */
    void migrateValue(DataInputDeserializer in, DataOutputSerializer out, TtlAwareSerializer<SV, ?> prior,
                      TtlAwareSerializer<SV, ?> current, TtlTimeProvider time) throws StateMigrationException {
        try {
            current.migrateValueFromPriorSerializer(prior, () -> prior.deserialize(in), out, time);
        } catch (Exception e) {
            throw new StateMigrationException("Error while migrating the values of state " + metaInfo.getName(), e);
        }
    }

    static <T> T deserialize(byte[] bytes, TypeSerializer<T> serializer) {
        try {
            return serializer.deserialize(new DataInputDeserializer(bytes));
        } catch (IOException e) {
            throw new FlinkRuntimeException("Error while reading a state value", e);
        }
    }

    static <T> byte[] serialize(T value, TypeSerializer<T> serializer) {
        DataOutputSerializer out = new DataOutputSerializer(64);
        try {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }
}
