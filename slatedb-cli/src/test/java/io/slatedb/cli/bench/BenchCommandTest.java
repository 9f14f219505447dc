package io.slatedb.cli.bench;

import io.slatedb.cli.CliRun;
import io.slatedb.cli.GoldenDb;
import io.slatedb.DurationText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code slatedb bench}: every workload with a tiny --num on a local directory store, and the comparisons. */
@Timeout(120)
class BenchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NUM = 300;

    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void storeUrl() {
        store = GoldenDb.fileUrl(dir);
    }

    private CliRun run(String... args) {
        return CliRun.onStore(store, args);
    }

    private JsonNode json(String... args) throws Exception {
        CliRun run = run(args);
        assertEquals(0, run.exitCode(), run::describe);
        return JSON.readTree(run.out());
    }

    private static JsonNode details(JsonNode report, int result) {
        return report.get("results").get(result).get("details");
    }

    /** Objects the benchmark left in the store (none: it deletes its database), not counting the store's own lock files. */
    private long filesLeft() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !dir.relativize(p).toString().startsWith(".slatedb-tmp"))
                    .count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fillrandom", "fillseq", "readrandom", "scan", "readwhilewriting", "mixed"})
    void everyWorkloadRunsAndCleansUp(String workload) throws Exception {
        JsonNode report = json("bench", workload, "--num", Integer.toString(NUM), "--threads", "2", "--json");
        assertEquals(NUM, report.get("spec").get("num").asLong());
        JsonNode result = report.get("results").get(0);
        assertEquals("slatedb-jvm", result.get("engine").asText());
        assertEquals(NUM, result.get("ops").asLong());
        assertTrue(result.get("ops_per_sec").asDouble() > 0, report::toString);
        JsonNode latency = result.get("latency_us");
        assertTrue(latency.get("p50").asDouble() <= latency.get("p99").asDouble(), report::toString);
        assertTrue(latency.get("p99").asDouble() <= latency.get("max").asDouble(), report::toString);
        assertEquals(1, report.get("results").size());
        switch (workload) {
            case "readrandom" -> assertEquals(NUM, result.get("details").get("found").asLong());
            case "scan" -> {
                assertEquals(NUM, result.get("details").get("rows").asLong());
                assertEquals(NUM * (16L + 100L), result.get("bytes").asLong());
            }
            case "readwhilewriting", "mixed" -> {
                assertEquals("readwhilewriting", report.get("spec").get("workload").asText());
                assertEquals(NUM, result.get("details").get("found").asLong());
                assertTrue(result.get("details").has("writes"), report::toString);
            }
            default -> assertEquals(NUM * (16L + 100L), result.get("bytes").asLong());
        }
        assertEquals(0, filesLeft(), "the benchmark database is deleted");
    }

    @Test
    void readsComeFromWhereFromSays() throws Exception {
        JsonNode memtable = details(json("bench", "readrandom", "--num", "500", "--from", "memtable", "--json"), 0);
        assertEquals(500, memtable.get("found").asLong());
        assertEquals(0, memtable.get("object_store.get.requests").asLong(), memtable::toString);
        assertEquals(0, memtable.get("cache.block.hits").asLong(), memtable::toString);
        assertEquals(0, memtable.get("cache.block.misses").asLong(), memtable::toString);

        JsonNode cache = details(json("bench", "readrandom", "--num", "500", "--from", "cache", "--json"), 0);
        assertTrue(cache.get("cache.block.hits").asLong() >= 500, cache::toString);
        assertEquals(0, cache.get("cache.block.misses").asLong(), cache::toString);

        // Blocks within the first read of an SST (its last 64 KiB) are served from that read, so the
        // SST is made several times larger: most reads fetch their block from the store.
        JsonNode stored = details(json("bench", "readrandom", "--num", "3000", "--from", "store", "--json"), 0);
        assertTrue(stored.get("object_store.get.requests").asLong() >= 1500, stored::toString);
    }

    @Test
    void durableWritesAndScanOptions() throws Exception {
        JsonNode fill = json("bench", "fillrandom", "--num", "40", "--threads", "4", "--durable",
                "--set", "flush_interval=5ms", "--json");
        assertTrue(fill.get("spec").get("durable").asBoolean());
        assertEquals(40, fill.get("results").get(0).get("ops").asLong());
        JsonNode scan = json("bench", "scan", "--num", "1000", "--read-ahead", "65536", "--fetch-tasks", "4",
                "--from", "store", "--json");
        assertEquals(1000, details(scan, 0).get("rows").asLong());
        assertEquals(65536, scan.get("spec").get("read_ahead").asLong());
    }

    @Test
    void textSummary() {
        CliRun run = run("bench", "fillseq", "--num", "100", "--seed", "3");
        assertEquals(0, run.exitCode(), run::describe);
        List<String> lines = run.outLines();
        assertEquals("bench fillseq: num 100, 16-byte keys, 100-byte values, 1 thread, durable false", lines.get(0));
        assertTrue(lines.get(1).matches("  engine\\s+ops\\s+seconds\\s+ops/s\\s+MB/s\\s+mean us\\s+p50 us.*"),
                run::describe);
        assertTrue(lines.get(2).startsWith("  slatedb-jvm  100  "), run::describe);
        assertEquals("", run.err(), "no progress bar when stderr is not a terminal");
    }

    @Test
    void progressBarWhenAsked() {
        CliRun run = run("bench", "fillseq", "--num", "100", "--progress");
        assertEquals(0, run.exitCode(), run::describe);
        // The bar is redrawn in place and erased at the end; whatever was drawn ends erased.
        assertTrue(run.err().isEmpty() || run.err().endsWith("\r\033[K"), run::describe);
    }

    @Test
    void keepLeavesTheDatabase() throws Exception {
        json("bench", "fillseq", "--num", "50", "--keep", "--json");
        try (Stream<Path> files = Files.list(dir.resolve("db"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("bench-fillseq-")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fillrandom", "readrandom", "scan", "readwhilewriting"})
    void comparedWithRocksDb(String workload) throws Exception {
        JsonNode report = json("bench", workload, "--num", "200", "--compare", "rocksdb", "--json");
        assertEquals(2, report.get("results").size(), report::toString);
        JsonNode rocks = report.get("results").get(1);
        assertEquals("rocksdb", rocks.get("engine").asText());
        assertEquals(200, rocks.get("ops").asLong());
        assertTrue(report.get("ratios").get("rocksdb").get("ops_per_sec").asDouble() > 0, report::toString);
        assertEquals(0, report.get("unavailable").size());
    }

    @Test
    void rocksDbRatiosInText() {
        CliRun run = run("bench", "readrandom", "--num", "200", "--from", "memtable", "--compare", "rocksdb");
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.outLines().stream().anyMatch(l -> l.matches("  rocksdb\\s+200\\s.*")), run::describe);
        assertTrue(run.outLines().stream().anyMatch(l -> l.matches("  slatedb-jvm / rocksdb: ops/s [0-9.]+x, .*")),
                run::describe);
    }

    @Test
    @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void comparedWithRustSlateDbWhereNodeIsPresent() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not on the PATH");
        // The binding is installed once per build directory, not into the user's cache.
        System.setProperty("slatedb.cli.cache", Path.of("target", "slatedb-cli-cache").toAbsolutePath().toString());
        JsonNode report = json("bench", "readrandom", "--num", "200", "--threads", "2", "--compare", "slatedb-rust",
                "--json");
        assertEquals(0, report.get("unavailable").size(), report::toString);
        JsonNode rust = report.get("results").get(1);
        assertEquals("slatedb-rust", rust.get("engine").asText());
        assertEquals(200, rust.get("ops").asLong());
        assertEquals(200, rust.get("details").get("found").asLong());
        assertTrue(report.get("ratios").get("slatedb-rust").get("ops_per_sec").asDouble() > 0, report::toString);
        assertEquals(0, filesLeft(), "both benchmark databases are deleted");
    }

    @Test
    void warmupReadsAreUntimedAndUncounted() throws Exception {
        JsonNode cold = json("bench", "readrandom", "--num", "300", "--from", "cache", "--warmup", "0", "--json");
        JsonNode warmed = json("bench", "readrandom", "--num", "300", "--from", "cache", "--warmup", "1000", "--json");
        assertEquals(0, cold.get("spec").get("warmup_reads").asLong());
        assertEquals(0.0, cold.get("spec").get("warmup_seconds").asDouble());
        assertFalse(details(cold, 0).has("warmup_reads"), cold::toString);
        assertEquals(1000, warmed.get("spec").get("warmup_reads").asLong());
        assertEquals(1000, details(warmed, 0).get("warmup_reads").asLong(), warmed::toString);
        assertEquals(300, warmed.get("results").get(0).get("ops").asLong(), warmed::toString);
        assertEquals(300, details(warmed, 0).get("found").asLong(), warmed::toString);
        // The timed reads read the same keys from the same cached blocks either way.
        assertEquals(details(cold, 0).get("cache.block.hits").asLong(), details(warmed, 0).get("cache.block.hits").asLong(),
                () -> cold + "\n" + warmed);

        CliRun text = run("bench", "readrandom", "--num", "100", "--from", "memtable", "--warmup", "50");
        assertEquals(0, text.exitCode(), text::describe);
        assertTrue(text.outLines().get(0).endsWith(", reads from memtable after 50 untimed reads"), text::describe);
        JsonNode scan = json("bench", "scan", "--num", "100", "--warmup", "50", "--json");
        assertEquals(0, scan.get("spec").get("warmup_reads").asLong(), "scans have no warm-up reads");
    }

    @Test
    void aWarmupRuleAppliesToEveryEngineOfTheRun() throws Exception {
        JsonNode report = json("bench", "readrandom", "--num", "200", "--from", "cache", "--warmup", "300ms",
                "--compare", "rocksdb", "--json");
        assertEquals(0.3, report.get("spec").get("warmup_seconds").asDouble(), report::toString);
        assertEquals(0, report.get("spec").get("warmup_reads").asLong(), report::toString);
        assertTrue(details(report, 0).get("warmup_reads").asLong() > 0, report::toString);
        assertTrue(details(report, 1).get("warmup_reads").asLong() > 0, report::toString);
        assertEquals(200, details(report, 1).get("found").asLong(), report::toString);

        JsonNode counted = json("bench", "readrandom", "--num", "200", "--from", "memtable", "--warmup", "700,1h",
                "--compare", "rocksdb", "--json");
        assertEquals(700, details(counted, 0).get("warmup_reads").asLong(), counted::toString);
        assertEquals(700, details(counted, 1).get("warmup_reads").asLong(), counted::toString);
    }

    @Test
    void theDefaultWarmupIsAMillionReadsAtMostFiveSeconds() {
        CliRun text = run("bench", "readrandom", "--num", "100", "--from", "memtable");
        assertEquals(0, text.exitCode(), text::describe);
        assertTrue(text.outLines().get(0).endsWith(
                ", reads from memtable after 1000000 untimed reads (at most 5s)"), text::describe);
    }

    @Test
    void usageErrors() {
        assertUsage(run("bench", "fillsomething"), "error: Invalid value for positional parameter at index 0 (WORKLOAD):"
                + " unknown workload 'fillsomething': choose one of fillrandom, fillseq, readrandom, scan,"
                + " readwhilewriting, mixed (see 'slatedb bench --help')");
        assertUsage(run("bench", "fillseq", "--num", "1000", "--key-size", "2"),
                "error: --key-size must be at least 3 to hold 1000 distinct keys (see 'slatedb bench --help')");
        assertUsage(run("bench", "fillseq", "--compare", "leveldb"),
                "error: unknown --compare target 'leveldb': choose rocksdb or slatedb-rust (see 'slatedb bench --help')");
        assertUsage(run("bench", "fillseq", "--threads", "0"),
                "error: --threads must be at least 1 (see 'slatedb bench --help')");
        assertUsage(run("bench", "readrandom", "--warmup", "-1"),
                "error: --warmup must not be negative (see 'slatedb bench --help')");
        String notADuration = assertThrows(IllegalArgumentException.class,
                () -> DurationText.parse("2 fortnights")).getMessage();
        assertUsage(run("bench", "readrandom", "--warmup", "2 fortnights"),
                "error: --warmup " + notADuration + " (see 'slatedb bench --help')");
        CliRun badSetting = run("bench", "fillseq", "--set", "l0_max_ssts=0");
        assertEquals(2, badSetting.exitCode(), badSetting::describe);
        assertTrue(badSetting.err().startsWith("error: invalid --set: invalid setting l0_max_ssts"),
                badSetting::describe);
        CliRun badSource = run("bench", "readrandom", "--from", "disk");
        assertEquals(2, badSource.exitCode(), badSource::describe);
        assertFalse(Files.exists(dir.resolve("db")), "nothing ran");
    }

    private static void assertUsage(CliRun run, String errorLine) {
        assertEquals(2, run.exitCode(), run::describe);
        assertEquals("", run.out());
        assertEquals(List.of(errorLine), run.errLines());
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, name)));
    }
}
