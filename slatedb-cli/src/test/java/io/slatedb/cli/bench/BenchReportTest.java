package io.slatedb.cli.bench;

import io.slatedb.cli.ReadSource;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench summary's figures and ratios, and how a compare target that cannot run is reported. */
@Timeout(30)
class BenchReportTest {

    private static final BenchSpec SPEC = new BenchSpec(BenchWorkload.READRANDOM, 1000, 16, 100, 2, false, 1, 1, 7,
            ReadSource.STORE, BenchWarmup.NONE);

    private static BenchResult result(String engine, long ops, long elapsedMillis, double p50, double p99) {
        return new BenchResult(engine, ops, ops * 116, elapsedMillis * 1_000_000,
                new BenchResult.Latency(p50, p50, p99, p99, p99, p99), new LinkedHashMap<>(Map.of("found", ops)));
    }

    @Test
    void ratiosAreThisEngineOverTheOther() {
        BenchReport report = new BenchReport(SPEC, List.of(result("slatedb-jvm", 1000, 500, 10, 40),
                result("rocksdb", 1000, 250, 5, 80)), Map.of());
        StringWriter text = new StringWriter();
        report.printText(new PrintWriter(text));
        List<String> lines = text.toString().lines().toList();
        assertEquals("bench readrandom: num 1000, 16-byte keys, 100-byte values, 2 threads, durable false,"
                + " reads from store", lines.get(0));
        assertTrue(lines.get(2).matches("  slatedb-jvm\\s+1000\\s+0\\.500\\s+2000\\s+0\\.23\\s+10\\.0\\s+10\\.0\\s.*"),
                lines::toString);
        assertTrue(lines.contains("  slatedb-jvm / rocksdb: ops/s 0.50x, p50 latency 2.00x, p99 latency 0.50x"),
                lines::toString);

        JsonNode json = report.toJson();
        assertEquals(0.5, json.get("ratios").get("rocksdb").get("ops_per_sec").asDouble(), 1e-9);
        assertEquals(2000.0, json.get("results").get(0).get("ops_per_sec").asDouble(), 1e-9);
        assertEquals(0.232, json.get("results").get(0).get("mb_per_sec").asDouble(), 1e-9);
        assertEquals("store", json.get("spec").get("from").asText());
    }

    @Test
    void withoutNodeTheRustTargetIsReportedInOneLine(@TempDir Path empty) {
        RustSlateDbBench.Availability none = RustSlateDbBench.locate(empty.toString());
        assertNull(none.bench());
        assertEquals("node is not on the PATH", none.unavailableReason());

        BenchReport report = new BenchReport(SPEC, List.of(result("slatedb-jvm", 1000, 500, 10, 40)),
                Map.of("slatedb-rust", none.unavailableReason()));
        StringWriter text = new StringWriter();
        report.printText(new PrintWriter(text));
        List<String> lines = text.toString().lines().toList();
        assertEquals("  slatedb-rust: not run: node is not on the PATH", lines.get(lines.size() - 1));
        assertTrue(lines.stream().noneMatch(l -> l.contains(" / slatedb-rust")), lines::toString);
        assertEquals("node is not on the PATH", report.toJson().get("unavailable").get("slatedb-rust").asText());
    }
}
