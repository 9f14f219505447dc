package io.slatedb.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hidden area of a {@link LocalDirectoryObjectStore} root, {@code <root>/.slatedb-tmp/}, where
 * new versions are written and made durable before they are published under their object path, and
 * where the lock files live ({@code locks/}). Listings never show it and object paths may not enter
 * it.
 *
 * <p>A staged file is complete when {@link #stage} returns: data and user metadata are written, its
 * modification time is stamped, and it is fsynced. Publishing it (a hard link or a rename inside one
 * file system) is then atomic. Staged files that are not published are deleted; ones left behind by a
 * crashed process are deleted when a store opens the root and they are older than {@link #STALE_AFTER}.
 * The directories are created at the first write ({@link #create()}), never by reads.
 */
final class LocalStagingArea {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStagingArea.class);

    /** The name of the hidden directory at the root. */
    static final String DIRECTORY_NAME = ".slatedb-tmp";

    /** Staged files older than this are leftovers of a crash: no put takes that long. */
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private static final String STAGED_SUFFIX = ".tmp";

    /** The last modification time handed out in this JVM, to give every version its own. */
    private static final AtomicLong LAST_STAMP_NANOS = new AtomicLong(Long.MIN_VALUE);

    private final Path directory;
    private final Path lockDirectory;
    private final LocalUserMetadata userMetadata;

    /** Set once the directories are known to exist; they are never removed while a store is open. */
    private volatile boolean created;

    /** The staging area of {@code root}; nothing is created until {@link #create()}. */
    LocalStagingArea(Path root, LocalUserMetadata userMetadata) {
        this.directory = root.resolve(DIRECTORY_NAME);
        this.lockDirectory = directory.resolve("locks");
        this.userMetadata = userMetadata;
    }

    /**
     * Creates the root, the staging area and its lock directory where missing. Every write calls it
     * first, so that a store that is only read never creates anything. Idempotent and thread-safe.
     */
    void create() throws IOException {
        if (!created) {
            Files.createDirectories(lockDirectory);
            created = true;
        }
    }

    Path directory() {
        return directory;
    }

    Path lockDirectory() {
        return lockDirectory;
    }

    /** A staged version: its file and its state (whose ETag the published object will have). */
    record Staged(Path file, LocalFileState state) {
    }

    /**
     * Writes a new version holding {@code data} and {@code metadata}, durable when this returns.
     * On failure nothing is left behind.
     */
    Staged stage(byte[] data, Map<String, String> metadata) throws IOException {
        Path file = newFileName();
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // Set before publishing, so data and metadata appear together.
                userMetadata.write(file, metadata);
                userMetadata.writeChecksum(file, ObjectChecksums.crc32c(data));
                stampModificationTime(file);
                channel.force(true);
            }
            return new Staged(file, LocalFileState.read(file, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            discard(file);
            throw e;
        }
    }

    /**
     * Stages a copy of {@code source} (made by the file system, without passing the bytes through the
     * Java heap) without its user metadata.
     *
     * @throws NoSuchFileException when {@code source} does not exist
     */
    Staged stageCopyOf(Path source) throws IOException {
        Path file = newFileName();
        try {
            // Without COPY_ATTRIBUTES no extended attributes are carried over.
            Files.copy(source, file);
            stampModificationTime(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            return new Staged(file, LocalFileState.read(file, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            discard(file);
            throw e;
        }
    }

    /** Deletes a staged file if it is still there (it is gone once published by a rename). */
    void discard(Path staged) {
        try {
            Files.deleteIfExists(staged);
        } catch (IOException e) {
            LOG.warn("Could not delete the staged file {}; it will be removed when a store next opens this root", staged, e);
        }
    }

    /** Deletes staged files left behind by crashed processes. Returns how many were deleted. */
    int deleteStale(Instant now) {
        int deleted = 0;
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return 0; // no put has run in this root yet
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + STAGED_SUFFIX)) {
            for (Path entry : entries) {
                try {
                    FileTime modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS);
                    if (modified.toInstant().isBefore(now.minus(STALE_AFTER)) && Files.deleteIfExists(entry)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    LOG.debug("Could not remove the stale staged file {}", entry, e);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for stale staged files in {}", directory, e);
        }
        return deleted;
    }

    private Path newFileName() {
        return directory.resolve("put-" + UUID.randomUUID() + STAGED_SUFFIX);
    }

    /**
     * Stamps the file with the current time in nanoseconds, strictly after every stamp handed out before
     * in this JVM. The kernel would stamp it with a coarse clock tick (milliseconds), under which two
     * quick writes of equal size to a recycled inode could share an ETag.
     */
    private static void stampModificationTime(Path file) throws IOException {
        Instant now = Instant.now();
        long nowNanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        long stamp = LAST_STAMP_NANOS.accumulateAndGet(nowNanos, (last, candidate) -> Math.max(last + 1, candidate));
        Files.setLastModifiedTime(file, FileTime.from(stamp, TimeUnit.NANOSECONDS));
    }
}
