package io.slatedb.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Reads objects of a {@link LocalDirectoryObjectStore} so that data and metadata always come from one
 * version, although writers replace files at any time.
 *
 * <p>Java cannot {@code fstat} an open file, so the file is stat'ed before and after the read; if its
 * state (inode, mtime, size) changed, it was replaced meanwhile and the read is repeated, up to
 * {@value #ATTEMPTS} times before failing with {@link TransientObjectStoreException}. Files are only
 * ever replaced whole, never changed in place, so equal states mean one version.
 */
final class LocalObjectReader {

    static final int ATTEMPTS = 5;

    private final LocalRoot root;
    private final LocalUserMetadata userMetadata;

    LocalObjectReader(LocalRoot root, LocalUserMetadata userMetadata) {
        this.root = root;
        this.userMetadata = userMetadata;
    }

    /** The metadata of object {@code key}, with its user metadata. */
    ObjectMetadata head(String key) {
        Path target = root.objectFile(key);
        try {
            Path real = root.confinedRealPath(key, target);
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                LocalFileState before = objectState(key, real);
                Map<String, String> metadata = userMetadata.read(real);
                if (before.equals(LocalFileState.read(real))) {
                    return before.metadata(key, metadata);
                }
            }
            throw changedWhileReading(key, real);
        } catch (IOException e) {
            throw LocalIoErrors.onRead(key, target, "head", e);
        }
    }

    /** The whole object ({@code range} null) or the range of it, with the metadata of the whole object. */
    GetResult get(String key, ByteRange range) {
        Path target = root.objectFile(key);
        try {
            Path real = root.confinedRealPath(key, target);
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                LocalFileState before = objectState(key, real);
                long start = range == null ? 0 : startIn(key, range, before.size());
                long end = range == null ? before.size() : range.endIn(before.size());
                if (end - start > Integer.MAX_VALUE - 8) {
                    throw new PermanentObjectStoreException(key, "cannot read " + (end - start) + " bytes of "
                            + StorePaths.quote(key) + " into one array; read it in ranges", null);
                }
                Map<String, String> metadata = userMetadata.read(real);
                String checksum = userMetadata.readChecksum(real);
                byte[] data = readBytes(real, start, (int) (end - start));
                if (data != null && before.equals(LocalFileState.read(real))) {
                    // A whole-object checksum can only check reads of the whole object.
                    if (checksum != null && start == 0 && end == before.size()) {
                        ObjectChecksums.verify(key, data, checksum);
                    }
                    return new GetResult(data, before.metadata(key, metadata));
                }
            }
            throw changedWhileReading(key, real);
        } catch (IOException e) {
            throw LocalIoErrors.onRead(key, target, "get", e);
        }
    }

    /** The state of the existing object file at {@code real}; a directory is no object. */
    static LocalFileState objectState(String key, Path real) throws IOException {
        LocalFileState state = LocalFileState.read(real);
        if (!state.isFile()) {
            throw new ObjectNotFoundException(key);
        }
        return state;
    }

    private static long startIn(String key, ByteRange range, long size) {
        try {
            return range.startIn(size);
        } catch (IllegalArgumentException e) {
            throw new PermanentObjectStoreException(key, "cannot read " + range + " of " + StorePaths.quote(key) + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code length} bytes from {@code start}, or null when the file turned out shorter (it was replaced). */
    private static byte[] readBytes(Path file, long start, int length) throws IOException {
        byte[] data = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    return null;
                }
            }
        }
        return data;
    }

    private static TransientObjectStoreException changedWhileReading(String key, Path file) {
        return new TransientObjectStoreException(key, "cannot read " + StorePaths.quote(key) + " at " + file
                + ": it was replaced " + ATTEMPTS + " times while being read", null);
    }
}
