package io.slatedb.flink.state;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.ListDelimitedSerializer;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.StateSnapshotTransformer;
import org.apache.flink.runtime.state.StateSnapshotTransformer.StateSnapshotTransformFactory;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.runtime.state.ttl.TtlAwareSerializer;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.Preconditions;
import org.apache.flink.util.StateMigrationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * ListState: one entry per key and namespace holding the elements joined by the list delimiter;
 * {@code add} and {@code addAll} append through the engine's merge operator ({@link ListMergeOperator}).
 * Its entries carry no expire time: list elements expire one by one (Flink's TTL decorator and
 * snapshot cleanup drop them), while the engine would drop a merged entry at its earliest operand's
 * expire time.
 */
final class SlateDbListState<K, N, V> extends AbstractSlateDbState<K, N, List<V>> implements InternalListState<K, N, V> {

    private final ListDelimitedSerializer lists = new ListDelimitedSerializer();

    SlateDbListState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, List<V>> metaInfo,
                     int stateId) {
        super(backend, metaInfo, stateId, null);
    }

    private TypeSerializer<V> elementSerializer() {
        return ((ListSerializer<V>) getValueSerializer()).getElementSerializer();
    }

    @Override
    public Iterable<V> get() {
        return getInternal();
    }

    @Override
    public List<V> getInternal() {
        try {
            return lists.deserializeList(backend.get(currentKey()), elementSerializer());
        } catch (IOException e) {
            throw new FlinkRuntimeException("Error while reading list state " + metaInfo.getName(), e);
        }
    }

    @Override
    public void add(V value) {
        Preconditions.checkNotNull(value, "You cannot add null to a ListState.");
        backend.merge(currentKey(), serialize(value, elementSerializer()));
    }

    @Override
    public void addAll(List<V> values) {
        Preconditions.checkNotNull(values, "List of values to add cannot be null.");
        if (!values.isEmpty()) {
            backend.merge(currentKey(), serializeList(values));
        }
    }

    @Override
    public void update(List<V> values) {
        updateInternal(values);
    }

    @Override
    public void updateInternal(List<V> values) {
        Preconditions.checkNotNull(values, "List of values to add cannot be null.");
        if (values.isEmpty()) {
            clear();
        } else {
            backend.put(currentKey(), serializeList(values));
        }
    }

    private byte[] serializeList(List<V> values) {
        try {
            return lists.serializeList(values, elementSerializer());
        } catch (IOException e) {
            throw new FlinkRuntimeException("Error while writing list state " + metaInfo.getName(), e);
        }
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        byte[] targetKey = currentKey(target);
        for (N source : sources) {
            if (source == null) {
                continue;
            }
            byte[] sourceKey = currentKey(source);
            byte[] bytes = backend.get(sourceKey);
            if (bytes != null) {
                backend.delete(sourceKey);
                backend.merge(targetKey, bytes);
            }
        }
    }

    @Override
    byte[] serializedValueOf(byte[] dbKey, TypeSerializer<List<V>> safeValueSerializer) throws Exception {
        byte[] bytes = backend.get(dbKey);
        if (bytes == null) {
            return null;
        }
        TypeSerializer<V> safeElements = ((ListSerializer<V>) safeValueSerializer).getElementSerializer();
        return new ListDelimitedSerializer().serializeList(lists.deserializeList(bytes, safeElements), safeElements);
    }

    @Override
    @SuppressWarnings("unchecked")
    Optional<StateSnapshotTransformer<byte[]>> valueTransformer(StateSnapshotTransformFactory<?> transforms) {
        // The transformer judges single elements: a list keeps the elements it keeps, in order.
        return transforms.createForDeserializedState().map(t -> {
            StateSnapshotTransformer<V> elements = (StateSnapshotTransformer<V>) t;
            TypeSerializer<V> serializer = elementSerializer().duplicate();
            return value -> {
                if (value == null) {
                    return null;
                }
                try {
                    ListDelimitedSerializer codec = new ListDelimitedSerializer();
                    List<V> all = codec.deserializeList(value, serializer);
                    List<V> kept = new ArrayList<>(all.size());
                    for (V element : all) {
                        V transformed = elements.filterOrTransform(element);
                        if (transformed != null) {
                            kept.add(transformed);
                        }
                    }
                    if (kept.isEmpty()) {
                        return null;
                    }
                    return kept.equals(all) ? value : codec.serializeList(kept, serializer);
                } catch (IOException e) {
                    throw new FlinkRuntimeException("Error while cleaning up list state " + metaInfo.getName(), e);
                }
            };
        });
    }

    @Override
    int timestampOffset(byte[] stored) {
        return -1;
    }

    @Override
    @SuppressWarnings("unchecked")
    void migrateValue(DataInputDeserializer in, DataOutputSerializer out, TtlAwareSerializer<List<V>, ?> prior,
                      TtlAwareSerializer<List<V>, ?> current, TtlTimeProvider time) throws StateMigrationException {
        TtlAwareSerializer<V, ?> priorElements = ((TtlAwareSerializer.TtlAwareListSerializer<V>) prior).getElementSerializer();
        TtlAwareSerializer<V, ?> currentElements = ((TtlAwareSerializer.TtlAwareListSerializer<V>) current).getElementSerializer();
        try {
            while (in.available() > 0) {
                currentElements.migrateValueFromPriorSerializer(priorElements,
                        () -> ListDelimitedSerializer.deserializeNextElement(in, priorElements), out, time);
                if (in.available() > 0) {
                    out.write(ListMergeOperator.DELIMITER);
                }
            }
        } catch (Exception e) {
            throw new StateMigrationException("Error while migrating the values of state " + metaInfo.getName(), e);
        }
    }
}
