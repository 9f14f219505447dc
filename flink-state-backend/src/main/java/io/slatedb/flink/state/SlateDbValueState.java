package io.slatedb.flink.state;

import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.internal.InternalValueState;

/** ValueState: one database entry per key and namespace, the serialized value. */
final class SlateDbValueState<K, N, V> extends AbstractSlateDbState<K, N, V> implements InternalValueState<K, N, V> {

    SlateDbValueState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, V> metaInfo,
                      int stateId, V defaultValue) {
        super(backend, metaInfo, stateId, defaultValue);
    }

    @Override
    public V value() {
        byte[] bytes = backend.get(currentKey());
        return bytes == null ? defaultValue() : deserialize(bytes, getValueSerializer());
    }

    @Override
    public void update(V value) {
        if (value == null) {
            clear();
            return;
        }
        write(currentKey(), serialize(value, getValueSerializer()));
    }
}
