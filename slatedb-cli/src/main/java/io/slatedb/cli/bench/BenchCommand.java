package io.slatedb.cli.bench;

import io.slatedb.cli.DatabaseOptions;
import io.slatedb.cli.ErrorReporter;
import io.slatedb.cli.GlobalOptions;
import io.slatedb.cli.Json;
import io.slatedb.cli.ReadSource;
import io.slatedb.cli.SlateDbCli;
import io.slatedb.cli.VersionProvider;
import io.slatedb.Admin;
import io.slatedb.Settings;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code slatedb bench}: db_bench-style workloads on this engine, optionally compared with RocksDB and the Rust SlateDB. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a db_bench-style workload and prints throughput and latency.",
                "The workload runs on a new database under --path in --store, which is deleted afterwards"
                        + " (unless --keep). Throughput is ops/s and MB/s of key and value bytes (1 MB = 10^6"
                        + " bytes); latencies are percentiles of single operations.",
                "",
                "Workloads:",
                "  fillrandom        --num puts of random keys (with repeats)",
                "  fillseq           --num puts of keys in ascending order",
                "  readrandom        --num gets of random keys after loading --num keys",
                "  scan              one full scan after loading --num keys; one op per row",
                "  readwhilewriting  readrandom on --threads readers while one more thread",
                "    (or mixed)      puts random keys without pause",
                "",
                "--from arranges where reads are served: memtable (never flushed), cache (flushed,"
                        + " reopened, every block read once into the block cache) or store (flushed, reopened"
                        + " with no block cache; SST indexes and filters stay cached)."})
public final class BenchCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions databaseOptions = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "WORKLOAD", converter = WorkloadConverter.class,
            description = "fillrandom, fillseq, readrandom, scan, readwhilewriting (mixed).")
    private BenchWorkload workload;

    @Option(names = "--num", paramLabel = "N", defaultValue = "100000",
            description = "Keys to write or load, and reads to time. Default: ${DEFAULT-VALUE}.")
    private long num;

    @Option(names = "--key-size", paramLabel = "BYTES", defaultValue = "16",
            description = "Key bytes (the key's index in decimal, zero-padded). Default: ${DEFAULT-VALUE}.")
    private int keySize;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Value bytes (random). Default: ${DEFAULT-VALUE}.")
    private int valueSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads issuing the timed operations. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(names = "--durable",
            description = "Each put waits until it is durable (awaitDurable; RocksDB: a synced write).")
    private boolean durable;

    @Option(names = "--read-ahead", paramLabel = "BYTES", defaultValue = "1",
            description = "Bytes a scan fetches per request (rounded up to whole blocks). Default: ${DEFAULT-VALUE}.")
    private long readAhead;

    @Option(names = "--fetch-tasks", paramLabel = "N", defaultValue = "1",
            description = "Fetches a scan may run ahead. Default: ${DEFAULT-VALUE}.")
    private int fetchTasks;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7",
            description = "Seed of the random keys and values. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--from", paramLabel = "SOURCE", defaultValue = "cache", converter = ReadSourceConverter.class,
            description = "Where reads are served from: memtable, cache or store. Default: ${DEFAULT-VALUE}.")
    private ReadSource from;

    @Option(names = "--warmup", paramLabel = "N|TIME|N,TIME", defaultValue = "1000000,5s",
            description = "Untimed random reads on each engine before readrandom and readwhilewriting time"
                    + " theirs, the same for every engine of the run, so that each is timed in the steady state of"
                    + " a long-running server (its read path compiled), not while it warms up: a count (1000000),"
                    + " a time (2s) or both (1000000,5s: that many reads, fewer if the time runs out first). Not"
                    + " passed to slatedb-rust. 0 times the first reads, warm-up included. Default: ${DEFAULT-VALUE}.")
    private String warmup;

    @Option(names = "--compare", paramLabel = "ENGINE", split = ",",
            description = "Also run the workload on rocksdb (rocksdbjni, in a temporary directory) and/or"
                    + " slatedb-rust (SlateDB 0.12.1 through Node; @slatedb/uniffi is installed with npm on"
                    + " first use), and print the ratios this engine / other. Repeatable or comma-separated.")
    private List<String> compare = new ArrayList<>();

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress bar on stderr. Default: only when the console is a terminal.")
    private Boolean progress;

    @Option(names = "--keep", description = "Keep the benchmark databases instead of deleting them.")
    private boolean keep;

    @Override
    public Integer call() {
        BenchSpec benchSpec = validatedSpec();
        Set<String> targets = compareTargets();
        Settings settings = databaseOptions.settings(spec);
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        String path = options.dbPath() + "/bench-" + workload.cliName() + "-"
                + LocalDateTime.now(ZoneOffset.UTC).format(STAMP);
        List<BenchResult> results = new ArrayList<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        PrintWriter err = spec.commandLine().getErr();
        boolean drawBar = progress != null ? progress : System.console() != null;
        try (ObjectStore store = options.openStore(spec);
             BenchProgress bar = new BenchProgress(err, drawBar)) {
            BenchRunner runner = new BenchRunner(benchSpec, bar);
            try (SlateDbBenchEngine engine = new SlateDbBenchEngine(store, path, settings, benchSpec)) {
                results.add(runner.run(engine));
            } finally {
                deleteUnlessKept(store, path);
            }
            if (targets.contains(RocksDbBenchEngine.NAME)) {
                compareWithRocksDb(runner, benchSpec, results, unavailable, bar);
            }
            if (targets.contains(RustSlateDbBench.NAME)) {
                compareWithRust(options.storeUrl(), store, path + "-rust", benchSpec, results, unavailable, bar);
            }
        }
        BenchReport report = new BenchReport(benchSpec, results, unavailable);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Json.print(out, report.toJson());
        } else {
            report.printText(out);
        }
        return 0;
    }

    private void compareWithRocksDb(BenchRunner runner, BenchSpec benchSpec, List<BenchResult> results,
                                    Map<String, String> unavailable, BenchProgress bar) {
        try {
            RocksDbBenchEngine.loadLibrary();
        } catch (IllegalStateException e) {
            unavailable.put(RocksDbBenchEngine.NAME, e.getMessage());
            bar.note(RocksDbBenchEngine.NAME + ": not run: " + e.getMessage());
            return;
        }
        try (RocksDbBenchEngine engine = new RocksDbBenchEngine(benchSpec)) {
            results.add(runner.run(engine));
        }
    }

    private void compareWithRust(String storeUrl, ObjectStore store, String path, BenchSpec benchSpec,
                                 List<BenchResult> results, Map<String, String> unavailable, BenchProgress bar) {
        RustSlateDbBench.Availability rust = RustSlateDbBench.locate();
        if (rust.bench() == null) {
            unavailable.put(RustSlateDbBench.NAME, rust.unavailableReason());
            bar.note(RustSlateDbBench.NAME + ": not run: " + rust.unavailableReason());
            return;
        }
        bar.phase(RustSlateDbBench.NAME + " " + workload.cliName() + " (in node)", 0);
        try {
            results.add(rust.bench().run(storeUrl, path, benchSpec, databaseOptions.sets()));
        } catch (RuntimeException e) {
            String reason = ErrorReporter.describe(e);
            unavailable.put(RustSlateDbBench.NAME, reason);
            bar.note(RustSlateDbBench.NAME + ": failed: " + reason);
        } finally {
            deleteUnlessKept(store, path);
        }
    }

    private BenchSpec validatedSpec() {
        require(num >= 1, "--num must be at least 1");
        require(keySize >= BenchData.digitsFor(num), "--key-size must be at least " + BenchData.digitsFor(num)
                + " to hold " + num + " distinct keys");
        require(valueSize >= 0, "--value-size must not be negative");
        require(threads >= 1, "--threads must be at least 1");
        require(readAhead >= 1, "--read-ahead must be at least 1");
        require(fetchTasks >= 1, "--fetch-tasks must be at least 1");
        BenchWarmup warmupReads;
        try {
            warmupReads = BenchWarmup.parse(warmup);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--warmup " + e.getMessage());
        }
        return new BenchSpec(workload, num, keySize, valueSize, threads, durable, readAhead, fetchTasks, seed, from,
                warmupReads);
    }

    private Set<String> compareTargets() {
        Set<String> targets = new LinkedHashSet<>();
        for (String target : compare) {
            String name = target.toLowerCase(Locale.ROOT);
            require(name.equals(RocksDbBenchEngine.NAME) || name.equals(RustSlateDbBench.NAME),
                    "unknown --compare target '" + target + "': choose rocksdb or slatedb-rust");
            targets.add(name);
        }
        return targets;
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    private void deleteUnlessKept(ObjectStore store, String path) {
        if (keep) {
            return;
        }
        try (Admin admin = Admin.builder(path, store).build()) {
            admin.deleteDb(true);
        }
    }

    /** Reads a workload name. */
    static final class WorkloadConverter implements ITypeConverter<BenchWorkload> {
        @Override
        public BenchWorkload convert(String value) {
            try {
                return BenchWorkload.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads a {@code --from} source. */
    static final class ReadSourceConverter implements ITypeConverter<ReadSource> {
        @Override
        public ReadSource convert(String value) {
            for (ReadSource source : ReadSource.values()) {
                if (source.cliName().equalsIgnoreCase(value)) {
                    return source;
                }
            }
            throw new TypeConversionException("unknown source '" + value + "': choose memtable, cache or store");
        }
    }
}
