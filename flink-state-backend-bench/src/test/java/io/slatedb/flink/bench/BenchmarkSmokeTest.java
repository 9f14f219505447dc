package io.slatedb.flink.bench;

import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmarks from rotting: every state benchmark's state sets up on a tiny state, runs each
 * operation once and tears down (deleting its files) on every backend; the checkpoint/restore benchmark
 * runs once on a tiny state, and the fork benchmark forks a tiny state twice per savepoint format.
 */
@Timeout(60)
class BenchmarkSmokeTest {

    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @BeforeAll
    static void createTemporaryDirectory() throws IOException {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @ParameterizedTest
    @EnumSource(BackendKind.class)
    void valueStateOperationsRun(BackendKind kind) throws Exception {
        ValueStateBenchmark bench = prepared(new ValueStateBenchmark(), kind);
        try {
            assertThat(bench.valueGet()).hasSize(StateBenchmarkBase.VALUE_BYTES);
            bench.valueUpdate();
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(BackendKind.class)
    void listStateOperationsRun(BackendKind kind) throws Exception {
        ListStateBenchmark bench = prepared(new ListStateBenchmark(), kind);
        try {
            bench.listAdd();
            bench.listGet(BLACKHOLE);
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(BackendKind.class)
    void mapStateOperationsRun(BackendKind kind) throws Exception {
        MapStateBenchmark bench = prepared(new MapStateBenchmark(), kind);
        try {
            bench.mapPut();
            assertThat(bench.mapGet()).hasSize(StateBenchmarkBase.VALUE_BYTES);
            bench.mapIterator(BLACKHOLE);
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(value = BackendKind.class, names = {"SLATEDB", "ROCKSDB"})
    void checkpointAndRestoreAreTimed(BackendKind kind) throws Exception {
        CheckpointRestoreBenchmark.Result result = CheckpointRestoreBenchmark.run(kind, 64 * 1024, 1);
        assertThat(result.checkpointMs()).hasSize(1);
        assertThat(result.restoreMs()).hasSize(1);
    }

    @Test
    @Timeout(120) // two forks each; the first test of a loaded machine also pays the class loading
    void slateDbForksFromANativeSavepoint() throws Exception {
        List<ForkBenchmark.Result> results = ForkBenchmark.run(BackendKind.SLATEDB, 64 * 1024,
                List.of(SavepointFormatType.NATIVE), 2, Duration.ZERO);
        assertForked(results, 1);
    }

    @Test
    @Timeout(120)
    void rocksDbForksFromNativeAndCanonicalSavepoints() throws Exception {
        List<ForkBenchmark.Result> results = ForkBenchmark.run(BackendKind.ROCKSDB, 64 * 1024,
                List.of(SavepointFormatType.NATIVE, SavepointFormatType.CANONICAL), 2, Duration.ZERO);
        assertForked(results, 2);
        // Both savepoints hold the state's 64 KiB of random (incompressible) values: the native one in
        // SSTs, the canonical one as key-group-ordered entries.
        for (ForkBenchmark.Result result : results) {
            assertThat(result.forks()).allSatisfy(f -> assertThat(f.savepointDirBytes()).isGreaterThan(32 * 1024));
        }
    }

    /** Every fork ran (its read passed), was timed and wrote something (a savepoint is never free). */
    private static void assertForked(List<ForkBenchmark.Result> results, int variants) {
        assertThat(results).hasSize(variants);
        for (ForkBenchmark.Result result : results) {
            assertThat(result.forks()).hasSize(2).allSatisfy(f -> {
                assertThat(f.totalMs()).isPositive();
                assertThat(f.bytesWritten()).isPositive().isGreaterThanOrEqualTo(f.savepointDirBytes());
                assertThat(f.settled()).isTrue();
            });
        }
    }

    @Test
    void benchmarksLeaveNoFilesBehind() throws Exception {
        long before = benchDirs();
        prepared(new ValueStateBenchmark(), BackendKind.SLATEDB).tearDown();
        CheckpointRestoreBenchmark.run(BackendKind.ROCKSDB, 16 * 1024, 1);
        ForkBenchmark.run(BackendKind.SLATEDB, 16 * 1024, List.of(SavepointFormatType.NATIVE), 1, Duration.ZERO);
        assertThat(benchDirs()).isEqualTo(before);
    }

    private static long benchDirs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("flinkbench-")).count();
        }
    }

    private static <B extends StateBenchmarkBase> B prepared(B bench, BackendKind kind) throws Exception {
        bench.backend = kind;
        bench.stateSize = StateSize.TINY;
        bench.setUp();
        return bench;
    }
}
