package io.slatedb.cli.bench;

import io.slatedb.cli.Json;
import io.slatedb.cli.TextTable;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of a bench run: each engine's throughput (ops/s, MB/s of key and value bytes) and
 * latency percentiles, the ratios of this engine's figures to each other engine's, and the compare
 * targets that could not run, as text or JSON.
 *
 * @param spec        what ran
 * @param results     this engine's result first, then the compared engines'
 * @param unavailable compare targets that did not run, with the reason
 */
record BenchReport(BenchSpec spec, List<BenchResult> results, Map<String, String> unavailable) {

    void printText(PrintWriter out) {
        out.println(String.format(Locale.ROOT, "bench %s: num %d, %d-byte keys, %d-byte values, %d thread%s, durable %s%s",
                spec.workload().cliName(), spec.num(), spec.keySize(), spec.valueSize(), spec.threads(),
                spec.threads() == 1 ? "" : "s", spec.durable(),
                spec.workload().writes() ? "" : ", reads from " + spec.from().cliName()
                        + (spec.warmupReads().isNone() ? "" : " after " + spec.warmupReads().describe())));
        TextTable table = new TextTable("engine", "ops", "seconds", "ops/s", "MB/s", "mean us", "p50 us", "p90 us",
                "p99 us", "p99.9 us", "max us");
        for (BenchResult r : results) {
            BenchResult.Latency l = r.latency();
            table.add(r.engine(), Long.toString(r.ops()), fixed(r.seconds(), 3), fixed(r.opsPerSecond(), 0),
                    fixed(r.megabytesPerSecond(), 2), fixed(l.mean(), 1), fixed(l.p50(), 1), fixed(l.p90(), 1),
                    fixed(l.p99(), 1), fixed(l.p999(), 1), fixed(l.max(), 1));
        }
        table.print(out, "  ");
        for (BenchResult r : results) {
            if (!r.details().isEmpty()) {
                StringBuilder line = new StringBuilder("  " + r.engine() + ":");
                r.details().forEach((name, value) -> line.append(' ').append(name).append(' ').append(value));
                out.println(line);
            }
        }
        BenchResult own = results.get(0);
        for (BenchResult other : results.subList(1, results.size())) {
            out.println(String.format(Locale.ROOT, "  %s / %s: ops/s %sx, p50 latency %sx, p99 latency %sx",
                    own.engine(), other.engine(), ratio(own.opsPerSecond(), other.opsPerSecond()),
                    ratio(own.latency().p50(), other.latency().p50()), ratio(own.latency().p99(), other.latency().p99())));
        }
        unavailable.forEach((engine, reason) -> out.println("  " + engine + ": not run: " + reason));
        out.flush();
    }

    ObjectNode toJson() {
        ObjectNode root = Json.object();
        ObjectNode specJson = root.putObject("spec");
        specJson.put("workload", spec.workload().cliName()).put("num", spec.num()).put("key_size", spec.keySize())
                .put("value_size", spec.valueSize()).put("threads", spec.threads()).put("durable", spec.durable())
                .put("read_ahead", spec.readAhead()).put("fetch_tasks", spec.fetchTasks()).put("seed", spec.seed())
                .put("from", spec.workload().writes() ? null : spec.from().cliName())
                .put("warmup_reads", spec.warmupReads().reads())
                .put("warmup_seconds", spec.warmupReads().time().toNanos() / 1e9);
        var array = root.putArray("results");
        for (BenchResult r : results) {
            ObjectNode result = array.addObject();
            result.put("engine", r.engine()).put("ops", r.ops()).put("bytes", r.bytes())
                    .put("seconds", r.seconds()).put("ops_per_sec", r.opsPerSecond())
                    .put("mb_per_sec", r.megabytesPerSecond());
            BenchResult.Latency l = r.latency();
            result.putObject("latency_us").put("mean", l.mean()).put("p50", l.p50()).put("p90", l.p90())
                    .put("p99", l.p99()).put("p999", l.p999()).put("max", l.max());
            ObjectNode details = result.putObject("details");
            r.details().forEach(details::put);
        }
        ObjectNode ratios = root.putObject("ratios");
        BenchResult own = results.get(0);
        for (BenchResult other : results.subList(1, results.size())) {
            ratios.putObject(other.engine())
                    .put("ops_per_sec", rawRatio(own.opsPerSecond(), other.opsPerSecond()))
                    .put("p50_latency", rawRatio(own.latency().p50(), other.latency().p50()))
                    .put("p99_latency", rawRatio(own.latency().p99(), other.latency().p99()));
        }
        ObjectNode notRun = root.putObject("unavailable");
        unavailable.forEach(notRun::put);
        return root;
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String ratio(double own, double other) {
        Double ratio = rawRatio(own, other);
        return ratio == null ? "n/a" : fixed(ratio, 2);
    }

    private static Double rawRatio(double own, double other) {
        return other == 0 ? null : own / other;
    }
}
