package io.slatedb.compaction;

import io.slatedb.CompactorOptions;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.WriteOptions;
import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.store.LocalDirectoryObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.SortedMap;

/**
 * Measures sustained ingest with the embedded compactor running, on a local-directory store, and the
 * write amplification (bytes the store received: WAL, L0 and compaction output, over the key and value
 * bytes written). Keys are drawn at random from a key space half the number of writes, so most are
 * overwritten. Not a unit test; from {@code slatedb-engine}, after {@code mvn -o -q test-compile
 * dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}, run
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.slatedb.compaction.CompactionBench
 * DIR MiB VALUE_BYTES L0_MiB} (defaults: target/compaction-bench, 256, 1024, 4).
 */
public final class CompactionBench {
    private CompactionBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/compaction-bench")).toAbsolutePath();
        long totalMiB = args.length > 1 ? Long.parseLong(args[1]) : 256;
        int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        long l0MiB = args.length > 3 ? Long.parseLong(args[3]) : 4;
        int keyBytes = 16;
        long writes = (totalMiB << 20) / (keyBytes + valueBytes);
        long keySpace = Math.max(1, writes / 2);
        Settings settings = Settings.builder()
                .l0SstSizeBytes(l0MiB << 20)
                .compactorOptions(CompactorOptions.builder().maxSstSize(64L << 20).build())
                .build();
        SimpleMetricRegistry metrics = new SimpleMetricRegistry();
        Random random = new Random(42);
        byte[] value = new byte[valueBytes];
        long userBytes = 0;
        long start;
        long ingestNanos;
        try (LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(dir);
             Db db = Db.builder("bench", store).withSettings(settings).withMetrics(metrics).build()) {
            start = System.nanoTime();
            for (long i = 0; i < writes; i++) {
                byte[] key = String.format("key%013d", Math.floorMod(random.nextLong(), keySpace)).getBytes();
                random.nextBytes(value);
                db.put(key, value, PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                userBytes += key.length + value.length;
            }
            db.flush(FlushType.MEMTABLE);
            ingestNanos = System.nanoTime() - start;
        }
        SortedMap<String, Long> snapshot = metrics.snapshot();
        long written = snapshot.getOrDefault("object_store.bytes_written", 0L);
        double seconds = ingestNanos / 1e9;
        System.out.printf("writes=%d user_bytes=%d key_space=%d value_bytes=%d l0_sst_bytes=%d%n",
                writes, userBytes, keySpace, valueBytes, l0MiB << 20);
        System.out.printf("ingest_seconds=%.2f ingest_MiB_per_s=%.2f%n", seconds, userBytes / seconds / (1 << 20));
        System.out.printf("store_bytes_written=%d write_amplification=%.2f%n", written, (double) written / userBytes);
        snapshot.forEach((name, count) -> {
            if (name.startsWith("object_store.put") || name.startsWith("slatedb.db.")) {
                System.out.println(name + "=" + count);
            }
        });
    }
}
