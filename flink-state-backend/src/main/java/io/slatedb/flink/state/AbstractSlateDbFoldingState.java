package io.slatedb.flink.state;

import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;

import java.util.Collection;

/**
 * A state whose value is an accumulator that additions fold into (ReducingState, AggregatingState):
 * reads, folds and writes back one entry, and merges namespaces by folding their accumulators.
 *
 * @param <ACC> the accumulator type, the stored value
 */
abstract class AbstractSlateDbFoldingState<K, N, ACC> extends AbstractSlateDbState<K, N, ACC> {

    AbstractSlateDbFoldingState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, ACC> metaInfo,
                                int stateId) {
        super(backend, metaInfo, stateId, null);
    }

    /** Folds two accumulators into one. */
    abstract ACC fold(ACC first, ACC second) throws Exception;

    public ACC getInternal() {
        byte[] bytes = backend.get(currentKey());
        return bytes == null ? null : deserialize(bytes, getValueSerializer());
    }

    public void updateInternal(ACC accumulator) {
        write(currentKey(), serialize(accumulator, getValueSerializer()));
    }

    public void mergeNamespaces(N target, Collection<N> sources) throws Exception {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        ACC merged = null;
        for (N source : sources) {
            if (source == null) {
                continue;
            }
            byte[] sourceKey = currentKey(source);
            byte[] bytes = backend.get(sourceKey);
            if (bytes != null) {
                backend.delete(sourceKey);
                ACC value = deserialize(bytes, getValueSerializer());
                merged = merged == null ? value : fold(merged, value);
            }
        }
        if (merged != null) {
            byte[] targetKey = currentKey(target);
            byte[] bytes = backend.get(targetKey);
            if (bytes != null) {
                merged = fold(merged, deserialize(bytes, getValueSerializer()));
            }
            write(targetKey, serialize(merged, getValueSerializer()));
        }
    }
}
