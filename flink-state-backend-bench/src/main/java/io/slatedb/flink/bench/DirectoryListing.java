package io.slatedb.flink.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The sizes of every file under a directory at one moment, to count the bytes written between two
 * listings: files that appeared count whole, files that grew count their growth. Files deleted or
 * rewritten in between are not seen, so the count is a lower bound of what was written and exactly what
 * was added to the directory.
 */
record DirectoryListing(Map<Path, Long> sizes) {

    /** Lists {@code root}, skipping files that vanish while it is walked (a database compacting). */
    static DirectoryListing of(Path root) throws IOException {
        Map<Path, Long> sizes = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    sizes.put(file, attrs.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return new DirectoryListing(Map.copyOf(sizes));
    }

    /** Bytes added since {@code before}: the sizes of new files plus the growth of files that grew. */
    long bytesAddedSince(DirectoryListing before) {
        long added = 0;
        for (Map.Entry<Path, Long> file : sizes.entrySet()) {
            long earlier = before.sizes.getOrDefault(file.getKey(), 0L);
            added += Math.max(0, file.getValue() - earlier);
        }
        return added;
    }

    /**
     * Waits until two listings of {@code root} taken {@code interval} apart are the same (background
     * flushes and compactions of the loaded state have finished, so they are not counted as a fork's
     * writes), or {@code limit} has passed, and returns the last listing. A zero interval lists once.
     *
     * @return the listing and whether it settled
     */
    static Settled awaitSettled(Path root, Duration interval, Duration limit) throws IOException, InterruptedException {
        DirectoryListing last = of(root);
        if (interval.isZero()) {
            return new Settled(last, true);
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(interval.toMillis());
            DirectoryListing next = of(root);
            if (next.equals(last)) {
                return new Settled(next, true);
            }
            last = next;
        }
        return new Settled(last, false);
    }

    /** A listing after waiting for a directory to settle, and whether it did within the limit. */
    record Settled(DirectoryListing listing, boolean settled) {
    }
}
