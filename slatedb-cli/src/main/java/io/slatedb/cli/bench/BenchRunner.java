package io.slatedb.cli.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one {@link BenchSpec} on a {@link BenchEngine}: loads the data the read workloads need
 * (untimed), arranges it as {@code --from} says, then times the workload's operations on
 * {@code --threads} threads, each recording its operations' latencies into its own histogram.
 */
final class BenchRunner {

    /** Histograms keep 3 significant digits; enough for percentiles, small enough to merge cheaply. */
    private static final int SIGNIFICANT_DIGITS = 3;

    private final BenchSpec spec;
    private final BenchData data;
    private final BenchProgress progress;

    BenchRunner(BenchSpec spec, BenchProgress progress) {
        this.spec = spec;
        this.data = new BenchData(spec.keySize(), spec.valueSize());
        this.progress = progress;
    }

    /** Runs the workload on {@code engine} and returns what the timed phase did. */
    BenchResult run(BenchEngine engine) {
        return switch (spec.workload()) {
            case FILLRANDOM -> fill(engine, false);
            case FILLSEQ -> fill(engine, true);
            case READRANDOM -> {
                loadAndArrange(engine);
                long warmupReads = warmUp(engine);
                yield withWarmupReads(readRandom(engine, null), warmupReads);
            }
            case SCAN -> {
                loadAndArrange(engine);
                yield scan(engine);
            }
            case READWHILEWRITING -> {
                loadAndArrange(engine);
                long warmupReads = warmUp(engine);
                yield withWarmupReads(readWhileWriting(engine), warmupReads);
            }
        };
    }

    /** {@code result} with the number of untimed warm-up reads that came before it, when there were any. */
    private static BenchResult withWarmupReads(BenchResult result, long warmupReads) {
        if (warmupReads > 0) {
            result.details().put("warmup_reads", warmupReads);
        }
        return result;
    }

    private BenchResult fill(BenchEngine engine, boolean sequential) {
        AtomicLong next = new AtomicLong();
        progress.phase(engine.name() + " " + spec.workload().cliName(), spec.num());
        Timed timed = timed(spec.threads(), spec.num(), random -> {
            long index = sequential ? next.getAndIncrement() : random.nextLong(spec.num());
            engine.put(data.key(index), data.value(random), spec.durable());
        });
        engine.flushWrites();
        return timed.result(engine.name(), spec.num() * spec.rowBytes(), new LinkedHashMap<>());
    }

    private void loadAndArrange(BenchEngine engine) {
        progress.phase(engine.name() + " load", spec.num());
        SplittableRandom random = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
        for (long i = 0; i < spec.num(); i++) {
            engine.put(data.key(i), data.value(random), false);
            progress.increment();
        }
        engine.flushWrites();
        progress.phase(engine.name() + " arrange: " + spec.from().cliName(), 0);
        engine.arrange(spec.from());
    }

    /**
     * The untimed reads of {@code --warmup}, on this thread with a random source of their own: the timed
     * reads that follow read the same keys as without them, and count only their own counters. Returns
     * how many reads it ran.
     */
    private long warmUp(BenchEngine engine) {
        BenchWarmup warmup = spec.warmupReads();
        if (warmup.isNone()) {
            return 0;
        }
        progress.phase(engine.name() + " warm-up", warmup.reads());
        SplittableRandom random = new SplittableRandom(spec.seed() ^ 0x2545F4914F6CDD1DL);
        long start = System.nanoTime();
        long done = 0;
        while (warmup.goesOn(done, start, System.nanoTime())) {
            engine.get(data.key(random.nextLong(spec.num())));
            done++;
            progress.increment();
        }
        return done;
    }

    private BenchResult readRandom(BenchEngine engine, AtomicBoolean readersDone) {
        AtomicLong found = new AtomicLong();
        Map<String, Long> before = engine.counters();
        progress.phase(engine.name() + " " + spec.workload().cliName(), spec.num());
        Timed timed = timed(spec.threads(), spec.num(), random -> {
            if (engine.get(data.key(random.nextLong(spec.num())))) {
                found.incrementAndGet();
            }
        });
        if (readersDone != null) {
            readersDone.set(true);
        }
        Map<String, Long> details = new LinkedHashMap<>();
        details.put("found", found.get());
        growth(before, engine.counters(), details);
        return timed.result(engine.name(), found.get() * spec.rowBytes(), details);
    }

    private BenchResult scan(BenchEngine engine) {
        Map<String, Long> before = engine.counters();
        progress.phase(engine.name() + " scan", spec.num());
        Histogram nanos = new Histogram(SIGNIFICANT_DIGITS);
        long[] rowsAndBytes = new long[2];
        long start = System.nanoTime();
        long[] last = {start};
        engine.scan(spec.readAhead(), spec.fetchTasks(), bytes -> {
            long now = System.nanoTime();
            nanos.recordValue(now - last[0]);
            last[0] = now;
            rowsAndBytes[0]++;
            rowsAndBytes[1] += bytes;
            progress.increment();
        });
        long elapsed = System.nanoTime() - start;
        Map<String, Long> details = new LinkedHashMap<>();
        details.put("rows", rowsAndBytes[0]);
        growth(before, engine.counters(), details);
        return new BenchResult(engine.name(), rowsAndBytes[0], rowsAndBytes[1], elapsed,
                BenchResult.Latency.of(nanos), details);
    }

    private BenchResult readWhileWriting(BenchEngine engine) {
        AtomicBoolean readersDone = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("bench-writer"));
        try {
            Future<?> writing = writer.submit(() -> {
                SplittableRandom random = new SplittableRandom(spec.seed() ^ 0x9E3779B97F4A7C15L);
                while (!readersDone.get()) {
                    engine.put(data.key(random.nextLong(spec.num())), data.value(random), spec.durable());
                    writes.incrementAndGet();
                }
            });
            BenchResult reads;
            try {
                reads = readRandom(engine, readersDone);
            } finally {
                readersDone.set(true);
            }
            join(writing);
            reads.details().put("writes", writes.get());
            return reads;
        } finally {
            writer.shutdownNow();
        }
    }

    /** Adds how much each counter grew from {@code before} to {@code after} to {@code details}. */
    private static void growth(Map<String, Long> before, Map<String, Long> after, Map<String, Long> details) {
        after.forEach((name, value) -> details.put(name, value - before.getOrDefault(name, 0L)));
    }

    /** One operation of a timed phase, given its thread's random source. */
    private interface Operation {
        void run(SplittableRandom random);
    }

    /** A finished timed phase. */
    private record Timed(long ops, long elapsedNanos, Histogram nanos) {
        BenchResult result(String engine, long bytes, Map<String, Long> details) {
            return new BenchResult(engine, ops, bytes, elapsedNanos, BenchResult.Latency.of(nanos), details);
        }
    }

    /** Runs {@code total} operations split over {@code threads} threads and times them. */
    private Timed timed(int threads, long total, Operation operation) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("bench-worker"));
        try {
            List<Future<Histogram>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                long share = total / threads + (t < total % threads ? 1 : 0);
                SplittableRandom random = new SplittableRandom(spec.seed() + 31L * t);
                workers.add(pool.submit(() -> {
                    Histogram nanos = new Histogram(SIGNIFICANT_DIGITS);
                    for (long i = 0; i < share; i++) {
                        long begin = System.nanoTime();
                        operation.run(random);
                        nanos.recordValue(System.nanoTime() - begin);
                        progress.increment();
                    }
                    return nanos;
                }));
            }
            Histogram all = new Histogram(SIGNIFICANT_DIGITS);
            for (Future<Histogram> worker : workers) {
                all.add(join(worker));
            }
            return new Timed(total, System.nanoTime() - start, all);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the benchmark ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
