package io.slatedb.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What one {@code stat} of a file in a {@link LocalDirectoryObjectStore} says: its identity (inode),
 * modification time, size and type. The store's ETag is derived from it.
 *
 * <p>The ETag is {@code <inode>-<mtime>-<size>}, each in lower-case hex, the mtime in nanoseconds
 * since the epoch. It is the shape of the Rust {@code object_store} local ETag (which uses
 * microseconds) and costs one {@code stat}. A new version always gets a new inode (it is written to a
 * new file that is then linked or renamed into place) and the store stamps each version with its own
 * modification time, so a path's ETag changes on every write.
 */
record LocalFileState(long inode, long mtimeNanos, long size, Type type) {

    /** What kind of file system entry it is. */
    enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    private static final boolean UNIX_VIEW = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final String UNIX_ATTRIBUTES = "unix:ino,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink";

    /** Reads the state of {@code file} (following symbolic links unless told otherwise). */
    static LocalFileState read(Path file, LinkOption... options) throws IOException {
        if (UNIX_VIEW) {
            Map<String, Object> attributes = Files.readAttributes(file, UNIX_ATTRIBUTES, options);
            return new LocalFileState((Long) attributes.get("ino"), nanos((FileTime) attributes.get("lastModifiedTime")),
                    (Long) attributes.get("size"), type((Boolean) attributes.get("isRegularFile"),
                    (Boolean) attributes.get("isDirectory"), (Boolean) attributes.get("isSymbolicLink")));
        }
        // Without a unix view (Windows) the file key is the best identity there is; it may be null.
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, options);
        return new LocalFileState(Objects.hashCode(attributes.fileKey()), nanos(attributes.lastModifiedTime()),
                attributes.size(), type(attributes.isRegularFile(), attributes.isDirectory(), attributes.isSymbolicLink()));
    }

    boolean isFile() {
        return type == Type.FILE;
    }

    boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    String etag() {
        return Long.toHexString(inode) + "-" + Long.toHexString(mtimeNanos) + "-" + Long.toHexString(size);
    }

    Instant lastModified() {
        return Instant.ofEpochSecond(Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos, 1_000_000_000L));
    }

    /** The object's metadata as a list entry (without user metadata). */
    ObjectMetadata metadata(String path) {
        return metadata(path, Map.of());
    }

    ObjectMetadata metadata(String path, Map<String, String> userMetadata) {
        return new ObjectMetadata(path, size, etag(), lastModified(), userMetadata);
    }

    private static long nanos(FileTime time) {
        return time.to(TimeUnit.NANOSECONDS);
    }

    private static Type type(boolean regularFile, boolean directory, boolean symlink) {
        if (regularFile) {
            return Type.FILE;
        }
        if (directory) {
            return Type.DIRECTORY;
        }
        return symlink ? Type.SYMLINK : Type.OTHER;
    }
}
