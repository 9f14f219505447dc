package io.slatedb.store;

import io.slatedb.util.Utf8Order;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One page of a {@link LocalDirectoryObjectStore} listing: a depth-first walk of the directory tree
 * below a prefix that yields objects in the UTF-8 byte order of their paths and stops as soon as the
 * page is full.
 *
 * <p>The walk starts at the deepest directory the prefix names ({@code a/b/c} starts in {@code a/b},
 * keeping the names that start with {@code c}), so a deep prefix never reads the whole root. Inside a
 * directory, a subdirectory {@code d} sorts as {@code d/}: every path below it starts with that,
 * which puts it after a sibling {@code d.txt} ('.' &lt; '/') and before {@code d0}, exactly where its
 * objects belong in the global order. Subtrees that lie wholly at or before {@code startAfter} are
 * skipped without being read.
 *
 * <p>Left out: the staging area at the root, staging files of the Rust local store
 * ({@code name#123}), directories themselves, and anything that is neither a file nor a directory.
 * A symbolic link to a file inside the root is listed as that file; links to directories are not
 * followed (they could form cycles) and links leading outside the root are skipped.
 */
final class LocalDirectoryListing {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDirectoryListing.class);

    private record Child(Path file, String sortKey, boolean directory) {
    }

    private static final Comparator<Child> ORDER = Comparator.comparing(Child::sortKey, Utf8Order.COMPARATOR);

    private final LocalRoot root;
    private final String startAfter;
    private final int maxKeys;
    private final List<ObjectMetadata> page = new ArrayList<>();
    private boolean truncated;

    private LocalDirectoryListing(LocalRoot root, String startAfter, int maxKeys) {
        this.root = root;
        this.startAfter = startAfter;
        this.maxKeys = maxKeys;
    }

    /**
     * Lists up to {@code maxKeys} objects whose paths start with {@code prefix} (a valid prefix) and
     * sort after {@code startAfter} (null: from the first).
     */
    static ListPage list(LocalRoot root, String prefix, String startAfter, int maxKeys) throws IOException {
        LocalDirectoryListing listing = new LocalDirectoryListing(root, startAfter, maxKeys);
        String directoryKey = prefix.substring(0, prefix.lastIndexOf('/') + 1);
        String namePrefix = prefix.substring(directoryKey.length());
        if (directoryKey.startsWith(LocalStagingArea.DIRECTORY_NAME + "/")) {
            return new ListPage(List.of(), false); // the staging area holds no objects
        }
        Path start = root.directory(directoryKey);
        Path real;
        try {
            real = root.confinedRealPath(prefix, start);
        } catch (IOException e) {
            if (LocalIoErrors.isMissing(e)) {
                return new ListPage(List.of(), false);
            }
            throw e;
        }
        if (Files.isDirectory(real)) {
            listing.walk(real, directoryKey, namePrefix);
        }
        return new ListPage(listing.page, listing.truncated);
    }

    /** Returns false once the page is full (and the walk must stop). */
    private boolean walk(Path directory, String directoryKey, String namePrefix) throws IOException {
        for (Child child : children(directory, directoryKey, namePrefix)) {
            if (child.directory()) {
                if (!walk(child.file(), child.sortKey(), "")) {
                    return false;
                }
                continue;
            }
            if (startAfter != null && Utf8Order.compare(child.sortKey(), startAfter) <= 0) {
                continue;
            }
            LocalFileState state;
            try {
                state = LocalFileState.read(child.file());
            } catch (IOException e) {
                if (LocalIoErrors.isMissing(e)) {
                    continue; // deleted since the directory was read
                }
                throw e;
            }
            if (page.size() == maxKeys) {
                truncated = true;
                return false;
            }
            page.add(state.metadata(child.sortKey()));
        }
        return true;
    }

    /** The entries of {@code directory} worth visiting, in listing order. */
    private List<Child> children(Path directory, String directoryKey, String namePrefix) throws IOException {
        List<Child> children = new ArrayList<>();
        boolean atRoot = directoryKey.isEmpty();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(namePrefix) || atRoot && name.equals(LocalStagingArea.DIRECTORY_NAME)) {
                    continue;
                }
                String key = directoryKey + name;
                // Whether it is a file (key) or a directory (key + "/"), it can be skipped unread when
                // even its directory form lies wholly before startAfter.
                if (startAfter != null && isWhollyBefore(key + "/")) {
                    continue;
                }
                Child child = classify(entry, key);
                if (child != null) {
                    children.add(child);
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        } catch (IOException e) {
            if (LocalIoErrors.isMissing(e)) {
                return List.of(); // removed while the walk was on its way down
            }
            throw e;
        }
        children.sort(ORDER);
        return children;
    }

    /** Whether every path starting with {@code directoryKey} sorts before {@code startAfter}. */
    private boolean isWhollyBefore(String directoryKey) {
        return Utf8Order.compare(directoryKey, startAfter) < 0 && !startAfter.startsWith(directoryKey);
    }

    private Child classify(Path entry, String key) throws IOException {
        LocalFileState state;
        try {
            state = LocalFileState.read(entry, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (LocalIoErrors.isMissing(e)) {
                return null;
            }
            throw e;
        }
        switch (state.type()) {
            case DIRECTORY:
                return new Child(entry, key + "/", true);
            case FILE:
                return LocalRoot.isForeignStagingName(entry.getFileName().toString()) ? null : new Child(entry, key, false);
            case SYMLINK:
                return followedLink(entry, key);
            default:
                return null;
        }
    }

    private Child followedLink(Path link, String key) {
        try {
            Path target = link.toRealPath();
            if (!target.startsWith(root.path())) {
                LOG.debug("Not listing {}: it links to {}, outside the store root", link, target);
                return null;
            }
            if (Files.isRegularFile(target) && !LocalRoot.isForeignStagingName(link.getFileName().toString())) {
                return new Child(link, key, false);
            }
            return null;
        } catch (IOException e) {
            return null; // a dangling link is not an object
        }
    }
}
