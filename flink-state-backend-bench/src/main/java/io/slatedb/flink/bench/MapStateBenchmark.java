package io.slatedb.flink.bench;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Map;

/** MapState put and get of one user key, and iteration over a key's whole map, at random keys. */
public class MapStateBenchmark extends StateBenchmarkBase {

    /** User keys each key's map holds after loading. */
    static final int USER_KEYS = 4;

    private MapState<Long, byte[]> state;

    @Override
    long bytesPerKey() {
        return (long) USER_KEYS * VALUE_BYTES;
    }

    @Override
    void createState() throws Exception {
        state = keyed.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("map", LongSerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE));
    }

    @Override
    void load(long key) throws Exception {
        for (long userKey = 0; userKey < USER_KEYS; userKey++) {
            state.put(userKey, value);
        }
    }

    @Benchmark
    public void mapPut() throws Exception {
        selectRandomKey();
        state.put((long) randomInt(USER_KEYS), value);
    }

    @Benchmark
    public byte[] mapGet() throws Exception {
        selectRandomKey();
        return state.get((long) randomInt(USER_KEYS));
    }

    @Benchmark
    public void mapIterator(Blackhole bh) throws Exception {
        selectRandomKey();
        for (Map.Entry<Long, byte[]> entry : state.entries()) {
            bh.consume(entry.getValue());
        }
    }
}
