package io.slatedb.flink.bench;

import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times a fork of one subtask's keyed state and counts the bytes it writes, at several state sizes: a
 * savepoint of the loaded state ({@link KeyedBackends#savepoint}, NATIVE or CANONICAL as a task takes it)
 * and a backend of a new job restored from it ({@link KeyedBackends#fork}) up to one read of the restored
 * state. The bytes written are those added under the benchmark's directory (the SlateDB object store, the
 * RocksDB local directories, the savepoint directory) between a listing before the savepoint and one after
 * the read. Before each fork the directory must settle (two listings {@code settle} apart agree), so the
 * loaded state's own flushes and compactions are not counted; a fork that started unsettled is flagged.
 * Each state is loaded (and checkpointed once, flushing it as a running job's state is) once per backend and
 * size and forked {@code rounds} times per savepoint format; figures are medians.
 *
 * <p>Arguments: {@code sizesMiB} (comma-separated, default {@code 100,1024,4096}), {@code variants}
 * ({@code BACKEND:FORMAT}, default {@code SLATEDB:NATIVE,ROCKSDB:NATIVE,ROCKSDB:CANONICAL}), {@code rounds}
 * (default 3), {@code settleSeconds} (default 2; 0 does not wait).
 */
public final class ForkBenchmark {

    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(15);

    /** A way to fork: a backend and the format of the savepoint the fork starts from. */
    record Variant(BackendKind backend, SavepointFormatType format) {

        /** Parses {@code BACKEND:FORMAT}, e.g. {@code ROCKSDB:CANONICAL}. */
        static Variant parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("A variant is BACKEND:FORMAT, e.g. SLATEDB:NATIVE, not " + text);
            }
            return new Variant(BackendKind.valueOf(parts[0]), SavepointFormatType.valueOf(parts[1]));
        }

        @Override
        public String toString() {
            return backend + ":" + format;
        }
    }

    /** One fork: the savepoint's and the restore's (with its read) time, and the bytes written. */
    record Fork(double savepointMs, double restoreMs, long bytesWritten, long savepointDirBytes, boolean settled) {
        double totalMs() {
            return savepointMs + restoreMs;
        }
    }

    /** A variant's forks at one state size. */
    record Result(Variant variant, long sizeMiB, double loadSeconds, List<Fork> forks) {
        double medianMs() {
            return CheckpointRestoreBenchmark.median(forks.stream().mapToDouble(Fork::totalMs).toArray());
        }

        double medianBytes() {
            return CheckpointRestoreBenchmark.median(forks.stream().mapToDouble(Fork::bytesWritten).toArray());
        }

        boolean settled() {
            return forks.stream().allMatch(Fork::settled);
        }
    }

    private ForkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,1024,4096").split(","))
                .mapToLong(Long::parseLong).toArray();
        List<Variant> variants = Arrays.stream((args.length > 1 ? args[1]
                : "SLATEDB:NATIVE,ROCKSDB:NATIVE,ROCKSDB:CANONICAL").split(",")).map(Variant::parse).toList();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Duration settle = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 2);
        PrintStream out = System.out;
        out.println("variant            state_MiB  load_s  fork_ms  savepoint_ms  restore_ms  bytes_written"
                + "  savepoint_dir_bytes  settled  fork_ms_all  bytes_all   (medians of " + rounds + ")");
        List<Result> results = new ArrayList<>();
        for (long size : sizes) {
            for (Map.Entry<BackendKind, List<SavepointFormatType>> backend : byBackend(variants).entrySet()) {
                for (Result r : run(backend.getKey(), size * 1024 * 1024, backend.getValue(), rounds, settle)) {
                    results.add(r);
                    printRow(out, r);
                }
            }
        }
        out.println();
        printComparison(out, results);
    }

    /**
     * Loads {@code bytes} of state into a {@code backend} backend once and forks it {@code rounds} times
     * from a savepoint of each of {@code formats}.
     */
    static List<Result> run(BackendKind backend, long bytes, List<SavepointFormatType> formats, int rounds,
                            Duration settle) throws Exception {
        List<Result> results = new ArrayList<>();
        try (LoadedState loaded = LoadedState.load(backend, bytes)) {
            loaded.backends().checkpoint(loaded.keyed(), 1);
            long savepointId = 100;
            for (SavepointFormatType format : formats) {
                List<Fork> forks = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    forks.add(fork(loaded, savepointId++, format, settle));
                }
                results.add(new Result(new Variant(backend, format), bytes / (1024 * 1024), loaded.loadSeconds(),
                        List.copyOf(forks)));
            }
        }
        return results;
    }

    /** One fork: savepoint, restore as a new job, one read; then the fork and its savepoint are disposed. */
    private static Fork fork(LoadedState loaded, long savepointId, SavepointFormatType format, Duration settle)
            throws Exception {
        KeyedBackends backends = loaded.backends();
        Path dir = backends.dir();
        DirectoryListing.Settled before = DirectoryListing.awaitSettled(dir, settle, SETTLE_LIMIT);
        Path target = Files.createDirectories(dir.resolve("savepoints-" + savepointId));
        KeyedStateHandle savepoint = null;
        try {
            long start = System.nanoTime();
            savepoint = backends.savepoint(loaded.keyed(), savepointId, format, target);
            long saved = System.nanoTime();
            CheckpointableKeyedStateBackend<Long> restored = backends.fork(savepoint);
            try {
                loaded.checkRestored(restored);
                long end = System.nanoTime();
                long written = DirectoryListing.of(dir).bytesAddedSince(before.listing());
                long savepointDirBytes = DirectoryListing.of(target).bytesAddedSince(new DirectoryListing(Map.of()));
                return new Fork((saved - start) / 1e6, (end - saved) / 1e6, written, savepointDirBytes,
                        before.settled());
            } finally {
                restored.dispose();
            }
        } finally {
            try {
                if (savepoint != null) {
                    savepoint.discardState();
                }
            } finally {
                KeyedBackends.deleteRecursively(target);
            }
        }
    }

    private static Map<BackendKind, List<SavepointFormatType>> byBackend(List<Variant> variants) {
        Map<BackendKind, List<SavepointFormatType>> grouped = new LinkedHashMap<>();
        for (Variant v : variants) {
            grouped.computeIfAbsent(v.backend(), k -> new ArrayList<>()).add(v.format());
        }
        return grouped;
    }

    private static void printRow(PrintStream out, Result r) {
        double savepointMs = CheckpointRestoreBenchmark.median(r.forks().stream().mapToDouble(Fork::savepointMs).toArray());
        double restoreMs = CheckpointRestoreBenchmark.median(r.forks().stream().mapToDouble(Fork::restoreMs).toArray());
        double savepointDir = CheckpointRestoreBenchmark.median(
                r.forks().stream().mapToDouble(Fork::savepointDirBytes).toArray());
        out.printf(Locale.ROOT, "%-18s %9d %7.1f %8.1f %13.1f %11.1f %14.0f %20.0f  %-7s  %s  %s%n", r.variant(),
                r.sizeMiB(), r.loadSeconds(), r.medianMs(), savepointMs, restoreMs, r.medianBytes(), savepointDir,
                r.settled() ? "yes" : "NO",
                r.forks().stream().map(f -> String.format(Locale.ROOT, "%.0f", f.totalMs())).toList(),
                r.forks().stream().map(Fork::bytesWritten).toList());
        out.flush();
    }

    /** Per size, each other variant's median time and bytes as a multiple of SlateDB's NATIVE fork. */
    private static void printComparison(PrintStream out, List<Result> results) {
        out.println("state_MiB  variant            fork_ms / SLATEDB:NATIVE  bytes / SLATEDB:NATIVE");
        for (Result slate : results) {
            if (!slate.variant().equals(new Variant(BackendKind.SLATEDB, SavepointFormatType.NATIVE))) {
                continue;
            }
            for (Result other : results) {
                if (other.sizeMiB() == slate.sizeMiB() && other != slate) {
                    out.printf(Locale.ROOT, "%9d  %-18s %23.1fx %22.1fx%n", slate.sizeMiB(), other.variant(),
                            other.medianMs() / slate.medianMs(), other.medianBytes() / Math.max(1, slate.medianBytes()));
                }
            }
        }
        out.flush();
    }
}
