package io.slatedb.flink.bench;

import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times checkpoints and restores of one subtask's keyed state at several state sizes (local directory
 * store, local checkpoint directory). Per backend and size: load the state ({@link LoadedState}), take a
 * first checkpoint, then {@code rounds} times change {@link #CHANGED_KEYS} keys and take a checkpoint
 * (synchronous and asynchronous part, as Flink runs them), and restore a new backend from the last one.
 * Loading is done once per size; checkpoints and restores are few and long, so this is a timed program
 * rather than a JMH benchmark.
 *
 * <p>Arguments: {@code sizesMiB} (comma-separated, default {@code 100,1024,4096}), {@code backends}
 * (default {@code SLATEDB,ROCKSDB}), {@code rounds} (default 3).
 */
public final class CheckpointRestoreBenchmark {

    static final int CHANGED_KEYS = 1000;

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
        try (LoadedState loaded = LoadedState.load(kind, bytes)) {
            KeyedBackends backends = loaded.backends();
            long start = System.nanoTime();
            KeyedStateHandle last = backends.checkpoint(loaded.keyed(), 1);
            double first = millisSince(start);

            double[] checkpoints = new double[rounds];
            double[] restores = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                loaded.change(CHANGED_KEYS);
                start = System.nanoTime();
                last = backends.checkpoint(loaded.keyed(), round + 2);
                checkpoints[round] = millisSince(start);
            }
            for (int round = 0; round < rounds; round++) {
                start = System.nanoTime();
                CheckpointableKeyedStateBackend<Long> restored = backends.restore(last);
                restores[round] = millisSince(start);
                try {
                    loaded.checkRestored(restored);
                } finally {
                    restored.dispose();
                }
            }
            return new Result(kind, bytes / (1024 * 1024), loaded.loadSeconds(), first, checkpoints, restores);
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
