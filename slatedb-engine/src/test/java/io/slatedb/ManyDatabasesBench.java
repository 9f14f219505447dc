package io.slatedb;

import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens many databases in one JVM, writes and reads in each, and prints the threads and the heap used
 * (after a GC) with all of them open: {@code ManyDatabasesBench <count> <shared|own> <memory|local>}.
 * A measurement to run by hand, not a test.
 */
public final class ManyDatabasesBench {
    private ManyDatabasesBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        boolean sharing = args[1].equals("shared");
        boolean local = args[2].equals("local");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        int threadsBefore = Thread.activeCount();
        ObjectStore store = local ? new LocalDirectoryObjectStore(Files.createTempDirectory("many-dbs"), 4)
                : new InMemoryObjectStore();
        SharedResources shared = sharing ? SharedResources.builder().withIoThreads(4).withCompactionThreads(2)
                .withBlockCacheBytes(64L << 20).withMetaCacheBytes(16L << 20).build() : null;
        List<Db> dbs = new ArrayList<>();
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            Db.Builder builder = Db.builder("db-" + n, store);
            if (shared != null) {
                builder.withResources(shared);
            }
            Db db = builder.build();
            dbs.add(db);
            ManyDatabasesTest.writeAndRead(db, n);
        }
        long openMillis = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        long slatedbThreads = ManyDatabasesTest.slatedbThreads().size();
        System.out.printf("%d databases, %s resources, %s store: %d slatedb threads (%d live threads, %d before),"
                        + " heap used after GC %d MiB (%d MiB before), opened+written+read in %d ms%n",
                count, sharing ? "shared" : "own", local ? "local-directory" : "in-memory", slatedbThreads,
                Thread.activeCount(), threadsBefore, heapAfter >> 20, heapBefore >> 20, openMillis);
        for (Db db : dbs) {
            db.close();
        }
        if (shared != null) {
            shared.close();
        }
        store.close();
    }
}
