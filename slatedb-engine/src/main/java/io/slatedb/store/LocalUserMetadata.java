package io.slatedb.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps an object's user metadata in extended attributes of its file: entry {@code name} is the
 * attribute {@code user.slatedb.<name>} (Java's user-defined view adds the {@code user.} namespace on
 * Linux) holding the value's UTF-8 bytes. Attributes of other names are ignored.
 *
 * <p>When the file system refuses user extended attributes (some tmpfs, FAT, network mounts, or
 * mounted without {@code user_xattr}), the store logs one warning and keeps the data only: puts
 * succeed, and head and get return empty user metadata.
 */
final class LocalUserMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUserMetadata.class);

    static final String ATTRIBUTE_PREFIX = "slatedb.";
    /**
     * The attribute holding the object's CRC32C (8 hex digits), outside the user metadata's namespace so
     * that head and get never report it as user metadata.
     */
    static final String CHECKSUM_ATTRIBUTE = "slatedb-crc32c";

    private final String storeName;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile boolean refused;

    /**
     * @param supported false when the file system is known not to hold user extended attributes
     */
    LocalUserMetadata(String storeName, boolean supported) {
        this.storeName = storeName;
        this.refused = !supported;
    }

    /** Stores {@code metadata} on {@code file}, or drops it (with a one-time warning) if the file system refuses. */
    void write(Path file, Map<String, String> metadata) throws IOException {
        if (metadata.isEmpty()) {
            return;
        }
        if (refused) {
            warnOnce(null);
            return;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            refuse(null);
            return;
        }
        try {
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                view.write(ATTRIBUTE_PREFIX + entry.getKey(), ByteBuffer.wrap(entry.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            if (!isUnsupported(e)) {
                throw e;
            }
            refuse(e);
        }
    }

    /** Records {@code crc32c} on {@code file}; skipped (like user metadata) when the file system refuses. */
    void writeChecksum(Path file, long crc32c) throws IOException {
        if (refused) {
            return;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            refuse(null);
            return;
        }
        try {
            view.write(CHECKSUM_ATTRIBUTE, StandardCharsets.US_ASCII.encode(ObjectChecksums.format(crc32c)));
        } catch (IOException e) {
            if (!isUnsupported(e)) {
                throw e;
            }
            refuse(e);
        }
    }

    /**
     * The CRC32C recorded on {@code file}, or null when there is none: objects written by other
     * libraries or versions, copies, or a file system without extended attributes.
     */
    String readChecksum(Path file) throws IOException {
        if (refused) {
            return null;
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return null;
        }
        try {
            if (!view.list().contains(CHECKSUM_ATTRIBUTE)) {
                return null;
            }
            ByteBuffer value = ByteBuffer.allocate(view.size(CHECKSUM_ATTRIBUTE));
            view.read(CHECKSUM_ATTRIBUTE, value);
            value.flip();
            return StandardCharsets.US_ASCII.decode(value).toString();
        } catch (IOException e) {
            if (isUnsupported(e) || e instanceof java.nio.file.NoSuchFileException) {
                return null;
            }
            throw e;
        }
    }

    /** The metadata stored on {@code file}; empty when there is none or the file system keeps none. */
    Map<String, String> read(Path file) throws IOException {
        if (refused) {
            return Map.of();
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return Map.of();
        }
        try {
            Map<String, String> metadata = new HashMap<>();
            for (String name : view.list()) {
                if (name.startsWith(ATTRIBUTE_PREFIX) && name.length() > ATTRIBUTE_PREFIX.length()) {
                    ByteBuffer value = ByteBuffer.allocate(view.size(name));
                    view.read(name, value);
                    value.flip();
                    metadata.put(name.substring(ATTRIBUTE_PREFIX.length()), StandardCharsets.UTF_8.decode(value).toString());
                }
            }
            return metadata;
        } catch (IOException e) {
            if (isUnsupported(e)) {
                return Map.of();
            }
            throw e;
        }
    }

    private void refuse(IOException cause) {
        refused = true;
        warnOnce(cause);
    }

    private void warnOnce(IOException cause) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("The file system of {} does not support user extended attributes{}; objects are stored "
                            + "without their user metadata (head and get return none)", storeName,
                    cause == null ? "" : " (" + cause.getMessage() + ")");
        }
    }

    private static boolean isUnsupported(IOException e) {
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) {
            return false;
        }
        String lower = reason.toLowerCase(Locale.ROOT);
        return lower.contains("not supported") || lower.contains("not implemented");
    }
}
