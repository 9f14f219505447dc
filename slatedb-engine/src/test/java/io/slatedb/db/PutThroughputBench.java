package io.slatedb.db;

import io.slatedb.Db;
import io.slatedb.PutOptions;
import io.slatedb.WriteBatch;
import io.slatedb.WriteOptions;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Throughput of the writer's non-durable put path: one thread puts {@code N} random keys (random bytes,
 * generated before timing) with 100-byte random values and {@code WriteOptions.NO_AWAIT} into a new
 * database on a local-directory store, then flushes. Each round runs in a fresh database; the first
 * round includes JIT warm-up. Not a unit test; from {@code slatedb-engine}, after {@code mvn -o -q
 * test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}, run
 * {@code java -Xmx4g -cp target/test-classes:target/classes:$(cat cp.txt) io.slatedb.db.PutThroughputBench
 * [N] [ROUNDS] [KEY_BYTES] [BATCH]} (defaults 1000000, 2, 16, 1). With {@code BATCH} above 1 the keys go
 * in {@link WriteBatch}es of that many puts, each one non-durable write (the Kafka Connect sink's shape).
 *
 * <p>Keys are random bytes, so the memtable's inlined 8-byte key prefix decides most comparisons; keys
 * sharing a long prefix (such as {@code slatedb bench}'s zero-padded decimal keys) are slower to insert.
 */
public final class PutThroughputBench {
    private PutThroughputBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int keyBytes = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            SplittableRandom random = new SplittableRandom(42 + round);
            byte[][] keys = new byte[n][keyBytes];
            byte[][] values = new byte[n][100];
            for (int i = 0; i < n; i++) {
                random.nextBytes(keys[i]);
                random.nextBytes(values[i]);
            }
            Path dir = Files.createTempDirectory("slatedb-put-bench");
            try (ObjectStore store = ObjectStores.resolve(dir.toUri().toString());
                 Db db = Db.open("db", store)) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (batchSize <= 1) {
                    for (int i = 0; i < n; i++) {
                        db.put(keys[i], values[i], PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                    }
                } else {
                    for (int i = 0; i < n; i += batchSize) {
                        WriteBatch batch = new WriteBatch();
                        for (int j = i; j < Math.min(n, i + batchSize); j++) {
                            batch.put(keys[j], values[j]);
                        }
                        db.write(batch, WriteOptions.NO_AWAIT);
                    }
                }
                long t1 = System.nanoTime();
                long cpu1 = threads.getCurrentThreadCpuTime();
                db.flush();
                long t2 = System.nanoTime();
                System.out.printf("round %d: %d puts (batches of %d) in %.3f s = %.0f puts/s (writer thread CPU %.3f s); "
                                + "then flush() in %.3f s%n", round, n, Math.max(1, batchSize), (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9),
                        (cpu1 - cpu0) / 1e9, (t2 - t1) / 1e9);
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
