package io.slatedb;

import io.slatedb.metrics.SimpleMetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.store.LocalDirectoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hundred databases in one JVM on one {@link SharedResources}: the threads they add stay below a
 * fixed number that does not grow with the count, and the shared caches stay within their budget.
 */
@Timeout(300)
class ManyDatabasesTest {
    static final int DATABASES = 100;
    static final int KEYS = 50;
    /** Shared threads: 1 timer + 4 IO + 2 compaction + 1 retry; the store's own pool adds at most 4. */
    static final int THREAD_BOUND = 12;

    @TempDir
    Path dir;

    static byte[] key(int i) {
        return String.format("key-%04d", i).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] value(int db, int i) {
        return ("value-" + db + "-" + i + "-" + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII);
    }

    /** Live threads whose names start with slatedb. */
    static Set<Thread> slatedbThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("slatedb"))
                .collect(Collectors.toSet());
    }

    /** Writes KEYS keys into database {@code n}, flushes them to an L0 SST and reads them back twice. */
    static void writeAndRead(Db db, int n) {
        // Without waiting for each put to be durable: the memtable flush makes them all durable at once.
        for (int i = 0; i < KEYS; i++) {
            db.put(key(i), value(n, i), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
        }
        db.flush(FlushType.MEMTABLE);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < KEYS; i++) {
                assertArrayEquals(value(n, i), db.get(key(i)));
            }
        }
    }

    @Test
    void aHundredDatabasesShareBoundedThreadsAndCaches() {
        Set<Thread> before = slatedbThreads();
        SimpleMetricRegistry sharedMetrics = new SimpleMetricRegistry();
        long blockBudget = 2L << 20;
        long metaBudget = 1L << 20;
        List<Db> dbs = new ArrayList<>();
        try (LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(dir, 4);
             SharedResources shared = SharedResources.builder()
                     .withIoThreads(4)
                     .withCompactionThreads(2)
                     .withBlockCacheBytes(blockBudget)
                     .withMetaCacheBytes(metaBudget)
                     .withMetrics(sharedMetrics)
                     .build()) {
            try {
                int maxAdded = 0;
                for (int n = 0; n < DATABASES; n++) {
                    Db db = Db.builder("db-" + n, store).withResources(shared).build();
                    dbs.add(db);
                    writeAndRead(db, n);
                    Set<Thread> added = slatedbThreads();
                    added.removeAll(before);
                    maxAdded = Math.max(maxAdded, added.size());
                    assertTrue(added.size() <= THREAD_BOUND, () -> "with " + dbs.size() + " databases: "
                            + added.stream().map(Thread::getName).sorted().toList());
                    assertTrue(shared.cachedBytes() <= shared.cacheCapacityBytes());
                }
                // Every database still reads its own data, with all of them open.
                for (int n = 0; n < DATABASES; n++) {
                    assertArrayEquals(value(n, 7), dbs.get(n).get(key(7)));
                }
                long block = sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.BLOCK_BYTES);
                long meta = sharedMetrics.snapshot().get(SlateDbMetricNames.SharedCache.META_BYTES);
                assertTrue(block > 0 && block <= blockBudget, "block cache bytes " + block);
                assertTrue(meta > 0 && meta <= metaBudget, "metadata cache bytes " + meta);
                assertEquals(DATABASES, shared.openHandles());
                System.out.printf("%d databases: at most %d slatedb threads added; caches hold %d + %d bytes%n",
                        DATABASES, maxAdded, block, meta);
            } finally {
                dbs.forEach(Db::close);
            }
            assertEquals(0, shared.openHandles());
        }
    }
}
