package io.slatedb.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Maps the {@link IOException}s of a {@link LocalDirectoryObjectStore} to the store's typed
 * exceptions, naming the object and the file.
 *
 * <p>Java reports most errno values only as a {@link FileSystemException} with the C library's
 * message, so errors that retrying cannot fix are recognised by that message (read-only file system,
 * name too long, cross-device link, ...). Anything unrecognised is treated as transient: SlateDB
 * retries transient failures, and an I/O error of unknown cause is more often passing than not.
 */
final class LocalIoErrors {

    /** strerror texts (glibc, musl, macOS) of failures that the same call will hit again. */
    private static final List<String> PERMANENT_REASONS = List.of(
            "read-only file system",
            "file name too long",
            "not a directory",
            "is a directory",
            "operation not permitted",
            "permission denied",
            "invalid argument",
            "invalid cross-device link",
            "cross-device link",
            "too many levels of symbolic links",
            "operation not supported",
            "function not implemented",
            // E2BIG and ERANGE from extended attributes: the user metadata is too large for the file system.
            "argument list too long",
            "numerical result out of range");

    private LocalIoErrors() {
    }

    /**
     * A failure while reading {@code key}: a missing file (or a missing directory on its way) means the
     * object does not exist.
     */
    static ObjectStoreException onRead(String key, Path file, String action, IOException e) {
        if (isMissing(e)) {
            return new ObjectNotFoundException(key, e);
        }
        return classify(key, file, action, e);
    }

    /**
     * A failure while writing {@code key}. A file that vanished here is one the store was working with
     * (a staged file, a directory another writer removed), not the object: retrying may succeed.
     */
    static ObjectStoreException onWrite(String key, Path file, String action, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new TransientObjectStoreException(key, message(key, file, action, e), e);
        }
        return classify(key, file, action, e);
    }

    /** Whether {@code e} says that the file, or a directory on its path, does not exist. */
    static boolean isMissing(IOException e) {
        return e instanceof NoSuchFileException || e instanceof NotDirectoryException || hasReason(e, "not a directory");
    }

    static ObjectStoreException classify(String key, Path file, String action, IOException e) {
        String message = message(key, file, action, e);
        if (e instanceof ClosedByInterruptException || e instanceof FileLockInterruptionException
                || e instanceof InterruptedIOException) {
            return new TransientObjectStoreException(key, message + " (interrupted, probably because the store is closing)", e);
        }
        if (e instanceof AccessDeniedException || e instanceof FileSystemLoopException || e instanceof NotDirectoryException
                || e instanceof DirectoryNotEmptyException || e instanceof FileAlreadyExistsException) {
            return new PermanentObjectStoreException(key, message, e);
        }
        for (String reason : PERMANENT_REASONS) {
            if (hasReason(e, reason)) {
                return new PermanentObjectStoreException(key, message, e);
            }
        }
        return new TransientObjectStoreException(key, message, e);
    }

    private static boolean hasReason(IOException e, String reason) {
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return text != null && text.toLowerCase(Locale.ROOT).contains(reason);
    }

    private static String message(String key, Path file, String action, IOException e) {
        return "cannot " + action + " " + (key == null ? "" : StorePaths.quote(key) + " ") + "at " + file + ": "
                + detail(e);
    }

    /** What the file system said, in words (messages reach users, so no exception class names). */
    private static String detail(IOException e) {
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason != null && !reason.isBlank()) {
            return reason;
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemLoopException) {
            return "a loop of symbolic links";
        }
        return "input/output error";
    }
}
