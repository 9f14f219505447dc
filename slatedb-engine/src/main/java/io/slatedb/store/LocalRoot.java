package io.slatedb.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The directory a {@link LocalDirectoryObjectStore} keeps its objects in: maps object paths to files
 * and keeps every file the store touches inside the root.
 *
 * <p>Object paths obey {@link StorePaths}, so they cannot climb out lexically; a symbolic link under
 * the root that leads outside it is caught by comparing real paths. (Swapping a directory for such a
 * link while an operation runs is not guarded against: the root is trusted to this store.) Two kinds
 * of names are reserved: the hidden staging area at the root, and file names ending in {@code #}
 * and digits, which the Rust {@code object_store} uses for its staging files and leaves out of its
 * listings (so this store does too).
 */
final class LocalRoot {

    private final Path root;

    /** @param realRoot the root as a real path (absolute, no symbolic links) */
    LocalRoot(Path realRoot) {
        this.root = realRoot;
    }

    Path path() {
        return root;
    }

    /**
     * The real path of the directory {@code absolute}, which need not exist yet: its nearest existing
     * ancestor resolved (symbolic links followed) with the missing rest appended.
     *
     * @throws NotDirectoryException when it, or its nearest existing ancestor, is not a directory
     */
    static Path realPathOfDirectory(Path absolute) throws IOException {
        Path existing = nearestExisting(absolute);
        if (!Files.isDirectory(existing)) {
            throw new NotDirectoryException(existing.toString());
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }

    /** {@code path} or its nearest ancestor that exists (the file system root at the latest). */
    static Path nearestExisting(Path path) {
        Path existing = path;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }

    /**
     * The file of object {@code key}, which must be a valid path and not a reserved name.
     *
     * @throws PermanentObjectStoreException when it is not
     */
    Path objectFile(String key) {
        StorePaths.checkPath(key);
        if (key.equals(LocalStagingArea.DIRECTORY_NAME) || key.startsWith(LocalStagingArea.DIRECTORY_NAME + "/")) {
            throw new PermanentObjectStoreException(key, "invalid object path " + StorePaths.quote(key) + ": "
                    + LocalStagingArea.DIRECTORY_NAME + " at the root is reserved for the store's staged files", null);
        }
        if (isForeignStagingName(key.substring(key.lastIndexOf('/') + 1))) {
            throw new PermanentObjectStoreException(key, "invalid object path " + StorePaths.quote(key)
                    + ": a file name ending in '#' and digits is reserved for the staging files of SlateDB's"
                    + " Rust local store", null);
        }
        return toFile(key);
    }

    /** The directory that holds the objects whose paths start with {@code directoryKey} ("" or ending in '/'). */
    Path directory(String directoryKey) {
        return directoryKey.isEmpty() ? root : toFile(directoryKey.substring(0, directoryKey.length() - 1));
    }

    /**
     * Whether {@code name} is a staging file of the Rust {@code object_store} local store:
     * {@code <name>#<digits>}.
     */
    static boolean isForeignStagingName(String name) {
        int hash = name.lastIndexOf('#');
        if (hash < 0 || hash == name.length() - 1) {
            return false;
        }
        for (int i = hash + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The real path of an existing {@code file}, which must lie inside the root.
     *
     * @throws IOException                   when it does not exist (or cannot be resolved)
     * @throws PermanentObjectStoreException when it resolves outside the root
     */
    Path confinedRealPath(String key, Path file) throws IOException {
        Path real = file.toRealPath();
        requireInside(key, file, real);
        return real;
    }

    /** Checks that the nearest existing ancestor of {@code file} resolves inside the root. */
    void checkAncestorsConfined(String key, Path file) throws IOException {
        Path existing = file.getParent();
        while (existing != null && !existing.equals(root)) {
            try {
                requireInside(key, file, existing.toRealPath());
                return;
            } catch (NoSuchFileException e) {
                existing = existing.getParent();
            }
        }
    }

    /**
     * Creates the missing directories above {@code file} (inside the root) and makes their entries
     * durable.
     *
     * @throws PermanentObjectStoreException when an object sits where a directory has to be, or the
     *                                       directories would be created outside the root
     */
    void createParentDirectories(String key, Path file) throws IOException {
        Path parent = file.getParent();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = parent;
        while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.push(existing);
            existing = existing.getParent();
        }
        if (!existing.equals(root)) {
            Path real = existing.toRealPath();
            requireInside(key, file, real);
            if (!Files.isDirectory(real)) {
                throw new PermanentObjectStoreException(key, "cannot store " + StorePaths.quote(key) + ": "
                        + StorePaths.quote(relative(existing)) + " is an object, and a local directory store cannot"
                        + " also hold objects below it", null);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Path lastDurable = existing;
        while (!missing.isEmpty()) {
            Path directory = missing.pop();
            try {
                Files.createDirectory(directory);
            } catch (FileAlreadyExistsException e) {
                // Created by a concurrent put (fine), or an object put there meanwhile.
                if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                    throw new PermanentObjectStoreException(key, "cannot store " + StorePaths.quote(key) + ": "
                            + StorePaths.quote(relative(directory)) + " is an object, and a local directory store"
                            + " cannot also hold objects below it", e);
                }
            }
            // The new directory's entry lives in its parent: make it durable there.
            fsyncDirectory(lastDurable);
            lastDurable = directory;
        }
    }

    /** Makes the entries of {@code directory} durable (a no-op where directories cannot be opened). */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open directories; Linux and macOS can, and failures there are real.
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    /** {@code file} as an object path (with '/' separators). */
    String relative(Path file) {
        Path relative = root.relativize(file);
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    private Path toFile(String key) {
        try {
            return root.resolve(key);
        } catch (InvalidPathException e) {
            throw new PermanentObjectStoreException(key, "object path " + StorePaths.quote(key) + " cannot be a file"
                    + " name on this system (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding") + "): "
                    + e.getMessage(), e);
        }
    }

    private void requireInside(String key, Path file, Path real) {
        if (!real.startsWith(root)) {
            throw new PermanentObjectStoreException(key, "object path " + StorePaths.quote(key) + " leads outside the"
                    + " store root " + root + ": " + file + " resolves to " + real + " through a symbolic link", null);
        }
    }
}
