package io.slatedb.flink.bench;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.openjdk.jmh.annotations.Benchmark;

/** ValueState get and update at random keys. */
public class ValueStateBenchmark extends StateBenchmarkBase {

    private ValueState<byte[]> state;

    @Override
    long bytesPerKey() {
        return VALUE_BYTES;
    }

    @Override
    void createState() throws Exception {
        state = keyed.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("value", BytePrimitiveArraySerializer.INSTANCE));
    }

    @Override
    void load(long key) throws Exception {
        state.update(value);
    }

    @Benchmark
    public byte[] valueGet() throws Exception {
        selectRandomKey();
        return state.value();
    }

    @Benchmark
    public void valueUpdate() throws Exception {
        selectRandomKey();
        state.update(value);
    }
}
