package io.slatedb.flink.state;

import io.slatedb.DbIterator;
import io.slatedb.KeyValue;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.queryablestate.client.state.serialization.KvStateSerializer;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.StateSnapshotTransformer;
import org.apache.flink.runtime.state.StateSnapshotTransformer.StateSnapshotTransformFactory;
import org.apache.flink.runtime.state.internal.InternalMapState;
import org.apache.flink.runtime.state.ttl.TtlAwareSerializer;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.StateMigrationException;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * MapState: one entry per user key, {@code [key group][state id][key][namespace][user key]}, whose value
 * is {@code [is null][user value]} as in Flink's RocksDB backend. The map of one key and namespace is
 * one key range of the database.
 */
final class SlateDbMapState<K, N, UK, UV> extends AbstractSlateDbState<K, N, Map<UK, UV>>
        implements InternalMapState<K, N, UK, UV> {

    SlateDbMapState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, Map<UK, UV>> metaInfo,
                    int stateId) {
        super(backend, metaInfo, stateId, null);
    }

    private MapSerializer<UK, UV> mapSerializer() {
        return (MapSerializer<UK, UV>) getValueSerializer();
    }

    private byte[] userKey(UK userKey) {
        return keys.keyNamespaceAndUserKey(backend.getCurrentKeyGroupIndex(), backend.getCurrentKey(), currentNamespace,
                userKey, mapSerializer().getKeySerializer());
    }

    @Override
    public UV get(UK key) {
        byte[] bytes = backend.get(userKey(key));
        return bytes == null ? null : userValue(bytes, mapSerializer().getValueSerializer());
    }

    @Override
    public void put(UK key, UV value) {
        write(userKey(key), userValueBytes(value, mapSerializer().getValueSerializer()));
    }

    @Override
    public void putAll(Map<UK, UV> map) {
        if (map == null) {
            return;
        }
        for (Map.Entry<UK, UV> entry : map.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void remove(UK key) {
        backend.delete(userKey(key));
    }

    @Override
    public boolean contains(UK key) {
        return backend.get(userKey(key)) != null;
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        return this::iterator;
    }

    @Override
    public Iterable<UK> keys() {
        return () -> new MappedIterator<>(iterator(), Map.Entry::getKey);
    }

    @Override
    public Iterable<UV> values() {
        return () -> new MappedIterator<>(iterator(), Map.Entry::getValue);
    }

    @Override
    public Iterator<Map.Entry<UK, UV>> iterator() {
        return new EntryIterator(read(currentKey(), mapSerializer()));
    }

    @Override
    public boolean isEmpty() {
        try (DbIterator it = backend.scanPrefix(currentKey())) {
            return !it.hasNext();
        }
    }

    @Override
    public void clear() {
        for (Entry entry : read(currentKey(), mapSerializer())) {
            backend.delete(entry.dbKey);
        }
    }

    /** The entries under {@code prefix}, read at once: a map state's iterator holds no database iterator open. */
    private List<Entry> read(byte[] prefix, MapSerializer<UK, UV> serializer) {
        List<Entry> entries = new ArrayList<>();
        try (DbIterator it = backend.scanPrefix(prefix)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                byte[] dbKey = kv.key();
                UK userKey = deserializeFrom(dbKey, prefix.length, serializer.getKeySerializer());
                entries.add(new Entry(dbKey, userKey, userValue(kv.value(), serializer.getValueSerializer())));
            }
        }
        return entries;
    }

    private static <T> T deserializeFrom(byte[] bytes, int offset, TypeSerializer<T> serializer) {
        try {
            return serializer.deserialize(new DataInputDeserializer(bytes, offset, bytes.length - offset));
        } catch (IOException e) {
            throw new FlinkRuntimeException("Error while reading a map state key", e);
        }
    }

    private static <T> T userValue(byte[] bytes, TypeSerializer<T> serializer) {
        try {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            return in.readBoolean() ? null : serializer.deserialize(in);
        } catch (IOException e) {
            throw new FlinkRuntimeException("Error while reading a map state value", e);
        }
    }

    private static <T> byte[] userValueBytes(T value, TypeSerializer<T> serializer) {
        DataOutputSerializer out = new DataOutputSerializer(64);
        try {
            out.writeBoolean(value == null);
            if (value != null) {
                serializer.serialize(value, out);
            }
        } catch (IOException e) {
            throw new FlinkRuntimeException("Error while writing a map state value", e);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    byte[] serializedValueOf(byte[] dbKey, TypeSerializer<Map<UK, UV>> safeValueSerializer) throws Exception {
        MapSerializer<UK, UV> safe = (MapSerializer<UK, UV>) safeValueSerializer;
        List<Entry> entries = read(dbKey, safe);
        if (entries.isEmpty()) {
            return null;
        }
        return KvStateSerializer.serializeMap(new ArrayList<Map.Entry<UK, UV>>(entries), safe.getKeySerializer(),
                safe.getValueSerializer());
    }

    @Override
    @SuppressWarnings("unchecked")
    void migrateValue(DataInputDeserializer in, DataOutputSerializer out, TtlAwareSerializer<Map<UK, UV>, ?> prior,
                      TtlAwareSerializer<Map<UK, UV>, ?> current, TtlTimeProvider time) throws StateMigrationException {
        TtlAwareSerializer<UV, ?> priorValues = ((TtlAwareSerializer.TtlAwareMapSerializer<UK, UV>) prior).getValueSerializer();
        TtlAwareSerializer<UV, ?> currentValues = ((TtlAwareSerializer.TtlAwareMapSerializer<UK, UV>) current).getValueSerializer();
        try {
            boolean isNull = in.readBoolean();
            out.writeBoolean(isNull);
            if (!isNull) {
                currentValues.migrateValueFromPriorSerializer(priorValues, () -> priorValues.deserialize(in), out, time);
            }
        } catch (Exception e) {
            throw new StateMigrationException("Error while migrating the values of state " + metaInfo.getName(), e);
        }
    }

    @Override
    int timestampOffset(byte[] stored) {
        // [is null][user value]: a null user value has no TTL timestamp.
        return stored.length > 0 && stored[0] == 0 ? 1 : -1;
    }

    @Override
    Optional<StateSnapshotTransformer<byte[]>> valueTransformer(StateSnapshotTransformFactory<?> transforms) {
        // The stored value is [is null][user value]: the transformer sees the user value only.
        return transforms.createForSerializedState().map(userValues -> value -> {
            if (value == null || value.length == 0 || value[0] != 0) {
                return value;
            }
            byte[] userValue = Arrays.copyOfRange(value, 1, value.length);
            byte[] kept = userValues.filterOrTransform(userValue);
            if (kept == null) {
                return null;
            }
            if (kept == userValue) {
                return value;
            }
            byte[] rewritten = new byte[kept.length + 1];
            System.arraycopy(kept, 0, rewritten, 1, kept.length);
            return rewritten;
        });
    }

    /** One map entry as read, with its database key for removal and updates. */
    private final class Entry extends AbstractMap.SimpleEntry<UK, UV> {
        private static final long serialVersionUID = 1L;
        private final transient byte[] dbKey;

        Entry(byte[] dbKey, UK userKey, UV userValue) {
            super(userKey, userValue);
            this.dbKey = dbKey;
        }

        @Override
        public UV setValue(UV value) {
            UV old = super.setValue(value);
            write(dbKey, userValueBytes(value, mapSerializer().getValueSerializer()));
            return old;
        }
    }

    private final class EntryIterator implements Iterator<Map.Entry<UK, UV>> {
        private final Iterator<Entry> entries;
        private Entry last;

        EntryIterator(List<Entry> entries) {
            this.entries = entries.iterator();
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public Map.Entry<UK, UV> next() {
            last = entries.next();
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() has not been called");
            }
            backend.delete(last.dbKey);
            last = null;
        }
    }

    private static final class MappedIterator<T, R> implements Iterator<R> {
        private final Iterator<T> source;
        private final java.util.function.Function<T, R> mapping;

        MappedIterator(Iterator<T> source, java.util.function.Function<T, R> mapping) {
            this.source = source;
            this.mapping = mapping;
        }

        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public R next() {
            if (!source.hasNext()) {
                throw new NoSuchElementException();
            }
            return mapping.apply(source.next());
        }

        @Override
        public void remove() {
            source.remove();
        }
    }
}
