package io.slatedb.flink.bench;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

/** ListState add (one element) and get (the whole list, iterated) at random keys. */
public class ListStateBenchmark extends StateBenchmarkBase {

    /** Elements each key's list holds after loading. */
    static final int ELEMENTS = 4;

    private ListState<byte[]> state;

    @Override
    long bytesPerKey() {
        return (long) ELEMENTS * VALUE_BYTES;
    }

    @Override
    void createState() throws Exception {
        state = keyed.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ListStateDescriptor<>("list", BytePrimitiveArraySerializer.INSTANCE));
    }

    @Override
    void load(long key) throws Exception {
        for (int i = 0; i < ELEMENTS; i++) {
            state.add(value);
        }
    }

    @Benchmark
    public void listAdd() throws Exception {
        selectRandomKey();
        state.add(value);
    }

    @Benchmark
    public void listGet(Blackhole bh) throws Exception {
        selectRandomKey();
        for (byte[] element : state.get()) {
            bh.consume(element);
        }
    }
}
