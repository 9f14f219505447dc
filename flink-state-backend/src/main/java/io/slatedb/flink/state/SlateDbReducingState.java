package io.slatedb.flink.state;

import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.internal.InternalReducingState;

/** ReducingState: the stored value is the reduction of every value added. */
final class SlateDbReducingState<K, N, V> extends AbstractSlateDbFoldingState<K, N, V>
        implements InternalReducingState<K, N, V> {

    private final ReduceFunction<V> reduceFunction;

    SlateDbReducingState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, V> metaInfo,
                         int stateId, ReduceFunction<V> reduceFunction) {
        super(backend, metaInfo, stateId);
        this.reduceFunction = reduceFunction;
    }

    @Override
    V fold(V first, V second) throws Exception {
        return reduceFunction.reduce(first, second);
    }

    @Override
    public V get() {
        return getInternal();
    }

    @Override
    public void add(V value) throws Exception {
        V current = getInternal();
        updateInternal(current == null ? value : reduceFunction.reduce(current, value));
    }
}
