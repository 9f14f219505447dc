package io.slatedb.flink.bench;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One subtask's keyed state of a given size, loaded once into a fresh backend for the timed programs that
 * snapshot and restore it ({@link CheckpointRestoreBenchmark}, {@link ForkBenchmark}): 1 KiB random values
 * under keys {@code 0..keys-1} of one value state, in a temporary {@code flinkbench-*} directory deleted on
 * close. The block cache is 64 MiB.
 */
final class LoadedState implements AutoCloseable {

    static final int VALUE_BYTES = 1024;
    private static final long BLOCK_CACHE_BYTES = 64L * 1024 * 1024;
    private static final ValueStateDescriptor<byte[]> VALUES =
            new ValueStateDescriptor<>("values", BytePrimitiveArraySerializer.INSTANCE);

    private final KeyedBackends backends;
    private final CheckpointableKeyedStateBackend<Long> keyed;
    private final ValueState<byte[]> state;
    private final long keys;
    private final double loadSeconds;
    private final SplittableRandom random = new SplittableRandom(7);
    private final byte[] value = new byte[VALUE_BYTES];

    private LoadedState(KeyedBackends backends, CheckpointableKeyedStateBackend<Long> keyed, long keys)
            throws Exception {
        this.backends = backends;
        this.keyed = keyed;
        this.keys = keys;
        this.state = keyed.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES);
        long start = System.nanoTime();
        for (long key = 0; key < keys; key++) {
            put(key);
        }
        this.loadSeconds = (System.nanoTime() - start) / 1e9;
    }

    /** A {@code kind} backend loaded with {@code bytes} of values (at least one key). */
    static LoadedState load(BackendKind kind, long bytes) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "flinkbench-");
        KeyedBackends backends = new KeyedBackends(kind, dir, BLOCK_CACHE_BYTES);
        CheckpointableKeyedStateBackend<Long> keyed = null;
        try {
            keyed = backends.open(List.of());
            return new LoadedState(backends, keyed, Math.max(1, bytes / VALUE_BYTES));
        } catch (Exception | Error e) {
            try {
                if (keyed != null) {
                    keyed.dispose();
                }
            } finally {
                backends.close();
            }
            throw e;
        }
    }

    /** Writes a new random value under {@code count} random loaded keys. */
    void change(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            put(random.nextLong(keys));
        }
    }

    private void put(long key) throws Exception {
        random.nextBytes(value);
        keyed.setCurrentKey(key);
        state.update(value);
    }

    /**
     * Reads the last key from {@code restored}: a restore that lost the state must not pass for fast.
     *
     * @throws IllegalStateException when the value is missing or has the wrong length
     */
    void checkRestored(CheckpointableKeyedStateBackend<Long> restored) throws Exception {
        restored.setCurrentKey(keys - 1);
        byte[] got = restored.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES)
                .value();
        if (got == null || got.length != VALUE_BYTES) {
            throw new IllegalStateException("restored state lacks key " + (keys - 1));
        }
    }

    KeyedBackends backends() {
        return backends;
    }

    CheckpointableKeyedStateBackend<Long> keyed() {
        return keyed;
    }

    double loadSeconds() {
        return loadSeconds;
    }

    @Override
    public void close() throws Exception {
        try {
            keyed.dispose();
        } finally {
            backends.close();
        }
    }
}
