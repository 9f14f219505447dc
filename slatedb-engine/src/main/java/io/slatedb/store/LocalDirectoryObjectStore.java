package io.slatedb.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link ObjectStore} in a local directory ({@code file:///abs/dir}), laid out so that SlateDB's
 * other implementations (the Rust library and its bindings, through {@code object_store}'s local file
 * system) read and write the same directory: object {@code a/b/c} is the file {@code <root>/a/b/c}
 * holding exactly the object's bytes.
 *
 * <h2>Writes</h2>
 * A put writes the new version to a file in the hidden staging area {@code <root>/.slatedb-tmp/},
 * with its user metadata, fsyncs it, and only then publishes it under the object's path: a
 * create-if-absent with a hard link (which fails atomically when the path is taken), any other put
 * with an atomic rename. The directory holding the object is fsynced before the future completes.
 * Readers therefore see the old version or the complete new one, never part of one. The root
 * directory, the staging area and its lock directory are created at the first write (put, copy or
 * delete); opening the store and reading it create nothing, and a missing root reads as an empty store.
 *
 * <h2>Conditional puts</h2>
 * Create-if-absent is atomic on its own (the hard link). If-match puts, overwrites, copies and
 * deletes of a path hold a lock for that path while they check and replace the file: an in-process
 * lock striped by path plus a {@link java.nio.channels.FileLock} on
 * {@code <root>/.slatedb-tmp/locks/<stripe>.lock}, so an if-match put is atomic with respect to every
 * writer that uses this class, in this process or another. (The Rust local store does not take these
 * locks; it never makes if-match puts.)
 *
 * <h2>ETags and times</h2>
 * An ETag is {@code <inode>-<mtime-ns>-<size>} in hex, read with one {@code stat}. Every version is a
 * new file with its own modification time (stamped by the store in nanoseconds, increasing within the
 * JVM), so a path's ETag changes on every write. The last-modified time is the file's mtime.
 *
 * <h2>User metadata</h2>
 * Kept in user extended attributes of the file ({@code user.slatedb.<name>}), set on the staged file
 * so that data and metadata appear together. If the file system refuses user extended attributes, the
 * store logs one warning and keeps data only: head and get then return empty user metadata.
 *
 * <h2>Paths</h2>
 * Paths follow {@link StorePaths}; in addition {@code .slatedb-tmp} at the root and file names ending
 * in {@code #} and digits (the Rust local store's staging files) are reserved, and a path may not lead
 * outside the root through a symbolic link. Because a file system cannot hold an object and a
 * directory of the same name, {@code a} and {@code a/b} cannot both be objects here; such a put fails
 * with {@link PermanentObjectStoreException}. Deletes leave empty directories behind.
 *
 * <h2>Threads</h2>
 * Blocking file I/O runs on a bounded pool of daemon threads owned by the store, and futures complete
 * on the common {@link ForkJoinPool}, so stages chained by callers never run on the I/O threads.
 * {@link #close()} waits for running operations (up to 30 seconds) and stops the threads.
 */
public final class LocalDirectoryObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDirectoryObjectStore.class);

    private static final long CLOSE_GRACE_MILLIS = 30_000;
    /** Files kept open for {@link #immutableReads()}: one per SST a database reads, well below fd limits. */
    static final int MAX_OPEN_FILES = 512;

    private final String description;
    private final LocalRoot root;
    private final LocalStagingArea staging;
    private final LocalPathLocks locks;
    private final LocalObjectReader reader;
    private final LocalOpenFiles openFiles;
    private final Optional<ImmutableReads> immutableReads;
    private final BlockingIoExecutor io;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A store rooted at {@code root} (an absolute path; a missing directory is created at the first write) with an I/O
     * pool of {@link #defaultIoThreads()} threads.
     *
     * @throws IllegalArgumentException when {@code root} is relative
     * @throws ObjectStoreException     when the root cannot be opened (it is not a directory, say)
     */
    public LocalDirectoryObjectStore(Path root) {
        this(root, defaultIoThreads());
    }

    /**
     * A store rooted at {@code root} (an absolute path; a missing directory is created at the first write) with an I/O
     * pool of {@code ioThreads} threads.
     *
     * @throws IllegalArgumentException when {@code root} is relative or {@code ioThreads} is below 1
     * @throws ObjectStoreException     when the root cannot be opened (it is not a directory, say)
     */
    public LocalDirectoryObjectStore(Path root, int ioThreads) {
        this(root, ioThreads, true);
    }

    /** {@code userXattrs} false makes the store behave as on a file system that refuses extended attributes. */
    LocalDirectoryObjectStore(Path root, int ioThreads, boolean userXattrs) {
        Objects.requireNonNull(root, "root");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("the root of a local directory store must be an absolute path: " + root);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
        Path normalized = root.normalize();
        this.description = fileUrl(normalized);
        Path realRoot;
        try {
            // Nothing is created here: the root, the staging area and the lock files appear at the first
            // write, so a store that is only read leaves a missing directory missing.
            realRoot = LocalRoot.realPathOfDirectory(normalized);
        } catch (IOException e) {
            throw LocalIoErrors.onWrite(null, normalized, "open the store root", e);
        }
        this.root = new LocalRoot(realRoot);
        LocalUserMetadata userMetadata = new LocalUserMetadata(description,
                userXattrs && supportsUserXattrs(LocalRoot.nearestExisting(realRoot)));
        this.reader = new LocalObjectReader(this.root, userMetadata);
        this.openFiles = new LocalOpenFiles(this.root, MAX_OPEN_FILES, closed::get);
        this.immutableReads = Optional.of(openFiles);
        this.staging = new LocalStagingArea(realRoot, userMetadata);
        int stale = staging.deleteStale(Instant.now());
        if (stale > 0) {
            LOG.info("Deleted {} staged files left behind by interrupted puts in {}", stale, staging.directory());
        }
        this.locks = LocalPathLocks.open(realRoot, staging.lockDirectory());
        Executor completion = ForkJoinPool.commonPool();
        this.io = new BlockingIoExecutor(description, "slatedb-local-store-io", ioThreads, completion);
    }

    /** The I/O pool size used when none is given: twice the processors, at least 4. */
    public static int defaultIoThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** The real path of the directory the objects are kept in. */
    public Path root() {
        return root.path();
    }

    // ---------------------------------------------------------------- put

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        // The write happens later on another thread: take a copy the caller cannot change meanwhile.
        byte[] owned = data.clone();
        return io.submit(path, "put", () -> doPut(path, owned, options));
    }

    private PutResult doPut(String key, byte[] data, PutOptions options) {
        Path target = root.objectFile(key);
        LocalStagingArea.Staged staged = null;
        try {
            staging.create();
            root.createParentDirectories(key, target);
            staged = staging.stage(data, options.userMetadata());
            publish(key, target, staged.file(), options.mode());
            LocalRoot.fsyncDirectory(target.getParent());
            return new PutResult(staged.state().etag());
        } catch (IOException e) {
            throw LocalIoErrors.onWrite(key, target, "put", e);
        } finally {
            if (staged != null) {
                staging.discard(staged.file());
            }
        }
    }

    private void publish(String key, Path target, Path staged, PutMode mode) throws IOException {
        if (mode instanceof PutMode.Create) {
            publishIfAbsent(key, target, staged);
            return;
        }
        LocalPathLocks.Held held = lock(key, target);
        try {
            if (mode instanceof PutMode.IfMatch ifMatch) {
                LocalFileState current = currentState(key, target);
                if (current == null) {
                    throw new ObjectNotFoundException(key);
                }
                if (!current.etag().equals(ifMatch.etag())) {
                    throw new PreconditionFailedException(key, "precondition failed for " + key + ": its ETag is "
                            + current.etag() + ", not " + ifMatch.etag(), null);
                }
            }
            replace(key, target, staged);
        } finally {
            held.close();
        }
    }

    /** Links the staged file in place: the file system refuses atomically when the path is taken. */
    private void publishIfAbsent(String key, Path target, Path staged) throws IOException {
        try {
            Files.createLink(target, staged);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw directoryInTheWay(key, e);
            }
            throw new ObjectAlreadyExistsException(key, e);
        } catch (UnsupportedOperationException e) {
            throw new PermanentObjectStoreException(key, "cannot create " + StorePaths.quote(key) + " at " + target
                    + ": the file system does not support hard links, which create-if-absent puts need", e);
        }
    }

    private void replace(String key, Path target, Path staged) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            openFiles.forget(key);
        } catch (AtomicMoveNotSupportedException e) {
            throw new PermanentObjectStoreException(key, "cannot publish " + StorePaths.quote(key) + " at " + target
                    + ": the file system cannot rename atomically from the staging area (is a mount point below the"
                    + " root?)", e);
        } catch (FileSystemException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw directoryInTheWay(key, e);
            }
            throw e;
        }
    }

    /** The state of the object's file, or null when there is no object (no file, or a directory). */
    private LocalFileState currentState(String key, Path target) throws IOException {
        try {
            LocalFileState state = LocalFileState.read(root.confinedRealPath(key, target));
            return state.isFile() ? state : null;
        } catch (IOException e) {
            if (LocalIoErrors.isMissing(e)) {
                return null;
            }
            throw e;
        }
    }

    private PermanentObjectStoreException directoryInTheWay(String key, Exception cause) {
        return new PermanentObjectStoreException(key, "cannot store " + StorePaths.quote(key) + ": it is a directory"
                + " holding other objects, and a local directory store cannot also hold an object of that name", cause);
    }

    // ---------------------------------------------------------------- get, head

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return io.submit(path, "get", () -> reader.get(path, null));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        Objects.requireNonNull(range, "range");
        return io.submit(path, "get", () -> reader.get(path, range));
    }

    /**
     * Positional reads on the calling thread of files kept open (up to {@value #MAX_OPEN_FILES}), without
     * the per-read checks of {@link #get(String, ByteRange)} that data and metadata come from one version:
     * only for objects that are never replaced. A put or delete through this store closes the file kept
     * for its path.
     */
    @Override
    public Optional<ImmutableReads> immutableReads() {
        return immutableReads;
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return io.submit(path, "head", () -> reader.head(path));
    }

    // ---------------------------------------------------------------- list

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return io.submit(prefix, "list", () -> {
            StorePaths.checkPrefix(prefix);
            if (maxKeys < 1) {
                throw new PermanentObjectStoreException(prefix, "maxKeys must be at least 1, got " + maxKeys, null);
            }
            try {
                return LocalDirectoryListing.list(root, prefix, startAfter, maxKeys);
            } catch (IOException e) {
                throw LocalIoErrors.classify(prefix, root.path(), "list objects under", e);
            }
        });
    }

    // ---------------------------------------------------------------- delete, copy

    @Override
    public CompletableFuture<Void> delete(String path) {
        return io.submit(path, "delete", () -> {
            Path target = root.objectFile(path);
            try {
                root.checkAncestorsConfined(path, target);
                if (!Files.isDirectory(root.path())) {
                    return null; // no store directory yet, so no object: nothing to create or delete
                }
                staging.create();
                boolean deleted;
                LocalPathLocks.Held held = lock(path, target);
                try {
                    deleted = deleteObjectFile(target);
                    openFiles.forget(path);
                } finally {
                    held.close();
                }
                if (deleted) {
                    LocalRoot.fsyncDirectory(target.getParent());
                }
                return null;
            } catch (IOException e) {
                throw LocalIoErrors.onWrite(path, target, "delete", e);
            }
        });
    }

    /** Deletes the file at {@code target} (a link itself, never what it points to); false when there is none. */
    private static boolean deleteObjectFile(Path target) throws IOException {
        LocalFileState state;
        try {
            state = LocalFileState.read(target, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (LocalIoErrors.isMissing(e)) {
                return false;
            }
            throw e;
        }
        if (state.isDirectory()) {
            return false; // no object of that name, only objects below it
        }
        return Files.deleteIfExists(target);
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return io.submit(fromPath, "copy", () -> {
            Path source = root.objectFile(fromPath);
            Path target = root.objectFile(toPath);
            LocalStagingArea.Staged staged;
            try {
                Path realSource = root.confinedRealPath(fromPath, source);
                LocalObjectReader.objectState(fromPath, realSource);
                staging.create();
                staged = staging.stageCopyOf(realSource);
            } catch (IOException e) {
                throw LocalIoErrors.onRead(fromPath, source, "copy", e);
            }
            try {
                root.createParentDirectories(toPath, target);
                LocalPathLocks.Held held = lock(toPath, target);
                try {
                    replace(toPath, target, staged.file());
                } finally {
                    held.close();
                }
                LocalRoot.fsyncDirectory(target.getParent());
                return null;
            } catch (IOException e) {
                throw LocalIoErrors.onWrite(toPath, target, "copy " + StorePaths.quote(fromPath) + " to", e);
            } finally {
                staging.discard(staged.file());
            }
        });
    }

    // ---------------------------------------------------------------- the rest

    private LocalPathLocks.Held lock(String key, Path target) throws IOException {
        try {
            return locks.lock(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientObjectStoreException(key, "interrupted while waiting for the lock of "
                    + StorePaths.quote(key) + " (is the store closing?)", e);
        } catch (OverlappingFileLockException e) {
            // Only when a closed store of this root still has an operation running in this JVM.
            throw new TransientObjectStoreException(key, "the lock of " + StorePaths.quote(key) + " at " + target
                    + " is held by another store of the same root in this JVM", e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Stops accepting operations, waits up to 30 seconds for the ones under way, and stops the I/O
     * threads; operations that never started fail with {@link PermanentObjectStoreException}. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            io.close(CLOSE_GRACE_MILLIS);
            locks.close();
            openFiles.closeAll();
        }
    }

    @Override
    public String toString() {
        return "LocalDirectoryObjectStore[" + description + "]";
    }

    /** {@code file:///abs/dir}, whether or not the directory exists yet. */
    private static String fileUrl(Path directory) {
        String uri = directory.toUri().toString();
        return uri.endsWith("/") && uri.length() > "file:///".length() ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static boolean supportsUserXattrs(Path directory) {
        try {
            return Files.getFileStore(directory).supportsFileAttributeView(UserDefinedFileAttributeView.class);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not tell whether {} supports user extended attributes; will try", directory, e);
            return true;
        }
    }
}
