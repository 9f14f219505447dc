package io.slatedb.flink.bench;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times checkpoints and restores of one subtask's keyed state at several state sizes (local directory
 * store, local checkpoint directory). Per backend and size: load the state (1 KiB random values), take a
 * first checkpoint, then {@code rounds} times change {@link #CHANGED_KEYS} keys and take a checkpoint
 * (synchronous and asynchronous part, as Flink runs them), and restore a new backend from the last one.
 * Loading is done once per size; checkpoints and restores are few and long, so this is a timed program
 * rather than a JMH benchmark.
 *
 * <p>Arguments: {@code sizesMiB} (comma-separated, default {@code 100,1024,4096}), {@code backends}
 * (default {@code SLATEDB,ROCKSDB}), {@code rounds} (default 3).
 */
public final class CheckpointRestoreBenchmark {

    static final int VALUE_BYTES = 1024;
    static final int CHANGED_KEYS = 1000;
    private static final ValueStateDescriptor<byte[]> VALUES =
            new ValueStateDescriptor<>("values", BytePrimitiveArraySerializer.INSTANCE);

    /** One backend's figures at one state size, in milliseconds (load in seconds). */
    record Result(BackendKind backend, long sizeMiB, double loadSeconds, double firstCheckpointMs,
                  double[] checkpointMs, double[] restoreMs) {
    }

    private CheckpointRestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,1024,4096").split(","))
                .mapToLong(Long::parseLong).toArray();
        List<BackendKind> kinds = Arrays.stream((args.length > 1 ? args[1] : "SLATEDB,ROCKSDB").split(","))
                .map(BackendKind::valueOf).toList();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        PrintStream out = System.out;
        out.println("backend  state_MiB  load_s  first_cp_ms  cp_ms(median of " + rounds + ")  restore_ms(median of "
                + rounds + ")  cp_ms_all  restore_ms_all");
        for (long size : sizes) {
            for (BackendKind kind : kinds) {
                Result r = run(kind, size * 1024 * 1024, rounds);
                out.printf(Locale.ROOT, "%-8s %9d %7.1f %12.1f %20.1f %24.1f  %s  %s%n", kind, size, r.loadSeconds(),
                        r.firstCheckpointMs(), median(r.checkpointMs()), median(r.restoreMs()),
                        format(r.checkpointMs()), format(r.restoreMs()));
                out.flush();
            }
        }
    }

    /** Loads {@code bytes} of state into a {@code kind} backend and times its checkpoints and restores. */
    static Result run(BackendKind kind, long bytes, int rounds) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "flinkbench-");
        long keys = Math.max(1, bytes / VALUE_BYTES);
        SplittableRandom random = new SplittableRandom(7);
        byte[] value = new byte[VALUE_BYTES];
        try (KeyedBackends backends = new KeyedBackends(kind, dir, 64L * 1024 * 1024)) {
            CheckpointableKeyedStateBackend<Long> keyed = backends.open(List.of());
            try {
                ValueState<byte[]> state = keyed.getPartitionedState(VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE, VALUES);
                long loadStart = System.nanoTime();
                for (long key = 0; key < keys; key++) {
                    random.nextBytes(value);
                    keyed.setCurrentKey(key);
                    state.update(value);
                }
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

                long start = System.nanoTime();
                KeyedStateHandle last = backends.checkpoint(keyed, 1);
                double first = millisSince(start);

                double[] checkpoints = new double[rounds];
                double[] restores = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < CHANGED_KEYS; i++) {
                        random.nextBytes(value);
                        keyed.setCurrentKey(random.nextLong(keys));
                        state.update(value);
                    }
                    start = System.nanoTime();
                    last = backends.checkpoint(keyed, round + 2);
                    checkpoints[round] = millisSince(start);
                }
                for (int round = 0; round < rounds; round++) {
                    start = System.nanoTime();
                    CheckpointableKeyedStateBackend<Long> restored = backends.restore(last);
                    restores[round] = millisSince(start);
                    checkRestored(restored, keys);
                    restored.dispose();
                }
                return new Result(kind, bytes / (1024 * 1024), loadSeconds, first, checkpoints, restores);
            } finally {
                keyed.dispose();
            }
        }
    }

    /** The restored backend answers for the last key: a restore that lost the state must not pass for fast. */
    private static void checkRestored(CheckpointableKeyedStateBackend<Long> restored, long keys) throws Exception {
        restored.setCurrentKey(keys - 1);
        byte[] got = restored.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES)
                .value();
        if (got == null || got.length != VALUE_BYTES) {
            throw new IllegalStateException("restored state lacks key " + (keys - 1));
        }
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.0f", values[i]));
        }
        return sb.append(']').toString();
    }
}
