package io.slatedb.flink.state;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.internal.InternalAggregatingState;

/** AggregatingState: the stored value is the accumulator of the aggregate function. */
final class SlateDbAggregatingState<K, N, IN, ACC, OUT> extends AbstractSlateDbFoldingState<K, N, ACC>
        implements InternalAggregatingState<K, N, IN, ACC, OUT> {

    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;

    SlateDbAggregatingState(SlateDbKeyedStateBackend<K> backend, RegisteredKeyValueStateBackendMetaInfo<N, ACC> metaInfo,
                            int stateId, AggregateFunction<IN, ACC, OUT> aggregateFunction) {
        super(backend, metaInfo, stateId);
        this.aggregateFunction = aggregateFunction;
    }

    @Override
    ACC fold(ACC first, ACC second) {
        return aggregateFunction.merge(first, second);
    }

    @Override
    public OUT get() {
        ACC accumulator = getInternal();
        return accumulator == null ? null : aggregateFunction.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        ACC accumulator = getInternal();
        if (accumulator == null) {
            accumulator = aggregateFunction.createAccumulator();
        }
        updateInternal(aggregateFunction.add(value, accumulator));
    }
}
