package io.slatedb.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per object path for the writers of one {@link LocalDirectoryObjectStore} root,
 * across threads, store instances and processes, so that an if-match put can check the current ETag
 * and replace the file as one step.
 *
 * <p>Paths are spread over {@value #STRIPES} stripes by {@link String#hashCode()} (which Java
 * specifies, so every process computes the same stripe). Stripe {@code n} is guarded by an in-process
 * {@link ReentrantLock} and by an exclusive {@link FileLock} on {@code <locks>/<n>.lock}. The
 * in-process locks are shared by every store open on the same root in this JVM: Java holds file locks
 * per JVM, and a second lock of the same file from this JVM would fail rather than wait.
 */
final class LocalPathLocks implements AutoCloseable {

    static final int STRIPES = 64;

    /** In-process stripes per root, shared by the stores open on it; guarded by itself. */
    private static final Map<Path, SharedStripes> SHARED = new HashMap<>();

    private static final class SharedStripes {
        final ReentrantLock[] locks = new ReentrantLock[STRIPES];
        int users;

        SharedStripes() {
            for (int i = 0; i < STRIPES; i++) {
                locks[i] = new ReentrantLock();
            }
        }
    }

    private final Path root;
    private final Path lockDirectory;
    private final SharedStripes stripes;
    private boolean closed;

    private LocalPathLocks(Path root, Path lockDirectory, SharedStripes stripes) {
        this.root = root;
        this.lockDirectory = lockDirectory;
        this.stripes = stripes;
    }

    /**
     * The locks of the store rooted at {@code realRoot} (a real path, so that every alias of a
     * directory shares one set), with lock files in {@code lockDirectory}.
     */
    static LocalPathLocks open(Path realRoot, Path lockDirectory) {
        synchronized (SHARED) {
            SharedStripes stripes = SHARED.computeIfAbsent(realRoot, unused -> new SharedStripes());
            stripes.users++;
            return new LocalPathLocks(realRoot, lockDirectory, stripes);
        }
    }

    static int stripe(String key) {
        return Math.floorMod(key.hashCode(), STRIPES);
    }

    /**
     * Waits for exclusive use of {@code key} (blocking) and returns the hold, to be closed when done.
     *
     * @throws InterruptedException when interrupted while waiting for another thread of this JVM
     * @throws IOException          when the lock file cannot be opened or locked
     */
    Held lock(String key) throws IOException, InterruptedException {
        int stripe = stripe(key);
        ReentrantLock local = stripes.locks[stripe];
        local.lockInterruptibly();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockDirectory.resolve(String.format("%02d.lock", stripe)),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.lock();
            return new Held(local, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                local.unlock();
            }
            throw e;
        }
    }

    /** Stops sharing this root's in-process locks. Idempotent. */
    @Override
    public void close() {
        synchronized (SHARED) {
            if (closed) {
                return;
            }
            closed = true;
            if (--stripes.users == 0) {
                SHARED.remove(root);
            }
        }
    }

    /** A held stripe: releases the file lock, then the in-process lock. */
    static final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final FileChannel channel;
        private final FileLock fileLock;

        private Held(ReentrantLock local, FileChannel channel, FileLock fileLock) {
            this.local = local;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public void close() throws IOException {
            try {
                // Closing the channel releases the lock too; releasing first keeps the order obvious.
                try {
                    fileLock.release();
                } finally {
                    channel.close();
                }
            } finally {
                local.unlock();
            }
        }
    }
}
