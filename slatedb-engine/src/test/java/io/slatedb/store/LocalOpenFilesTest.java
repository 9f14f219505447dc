package io.slatedb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** What the local store's immediate reads promise beyond the conformance suite: bounded open files. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalOpenFilesTest {

    private static final int OBJECTS = 8;

    @TempDir
    Path temp;

    private LocalOpenFiles openFiles(int maxOpen) throws Exception {
        Path root = Files.createDirectories(temp.resolve("root")).toRealPath();
        for (int i = 0; i < OBJECTS; i++) {
            Files.createDirectories(root.resolve("sst"));
            Files.write(root.resolve("sst/" + i), content(i));
        }
        return new LocalOpenFiles(new LocalRoot(root), maxOpen, () -> false);
    }

    private static byte[] content(int i) {
        byte[] data = new byte[64];
        for (int j = 0; j < data.length; j++) {
            data[j] = (byte) (i * 31 + j);
        }
        return data;
    }

    @Test
    void readsStayRightWhenMoreFilesAreReadThanStayOpen() throws Exception {
        LocalOpenFiles files = openFiles(2);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < OBJECTS; i++) {
                assertArrayEquals(content(i), files.read("sst/" + i, 0, 64));
            }
        }
        files.closeAll();
        assertArrayEquals(content(3), files.read("sst/3", 0, 64), "a closed file is opened again");
    }

    @Test
    void concurrentReadersEvictingEachOthersFilesAllReadTheRightBytes() throws Exception {
        LocalOpenFiles files = openFiles(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                readers.add(CompletableFuture.runAsync(() -> {
                    await(start);
                    for (int n = 0; n < 500; n++) {
                        int i = (first + n) % OBJECTS;
                        assertArrayEquals(content(i), files.read("sst/" + i, 0, 64));
                    }
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            files.closeAll();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
