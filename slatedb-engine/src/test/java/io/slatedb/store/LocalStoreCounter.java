package io.slatedb.store;

import io.slatedb.util.Futures;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Increments a decimal counter object in a {@link LocalDirectoryObjectStore} with read-then-if-match
 * loops: if if-match puts were not atomic across writers, concurrent incrementers would lose updates.
 * Used in-process by the tests and, through {@link #main}, as a second process.
 */
final class LocalStoreCounter {

    private LocalStoreCounter() {
    }

    /**
     * Adds {@code increments} to the counter at {@code path}, retrying each lost if-match; returns how
     * many if-match puts lost.
     */
    static int increment(ObjectStore store, String path, int increments) {
        int conflicts = 0;
        for (int done = 0; done < increments; ) {
            GetResult current = Futures.join(store.get(path).orTimeout(30, TimeUnit.SECONDS));
            long value = Long.parseLong(new String(current.data(), StandardCharsets.UTF_8));
            byte[] next = Long.toString(value + 1).getBytes(StandardCharsets.UTF_8);
            try {
                Futures.join(store.put(path, next, PutOptions.of(PutMode.ifMatch(current.metadata().etag())))
                        .orTimeout(30, TimeUnit.SECONDS));
                done++;
            } catch (PreconditionFailedException e) {
                conflicts++;
            }
        }
        return conflicts;
    }

    /**
     * {@code <root> <path> <increments>}: prints {@code ready}, waits for a line on stdin, increments,
     * prints the number of conflicts and exits 0; exits 1 on any failure.
     */
    public static void main(String[] args) throws Exception {
        try (LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(Path.of(args[0]), 2)) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            int conflicts = increment(store, args[1], Integer.parseInt(args[2]));
            System.out.println("conflicts " + conflicts);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
