package io.slatedb.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens object stores from URLs:
 * <ul>
 *   <li>{@code memory:///}: a fresh, empty {@link InMemoryObjectStore} (each call makes a new one);</li>
 *   <li>{@code file:///abs/dir}: a {@link LocalDirectoryObjectStore} rooted at that absolute directory,
 *       created if missing ({@code file://localhost/abs/dir} is accepted too; percent-escapes are
 *       decoded);</li>
 *   <li>{@code s3://bucket/prefix?endpoint=...&region=...&path_style=true}: an {@link S3ObjectStore} on
 *       that bucket and key prefix (see {@link S3ObjectStore#fromUri} for every parameter).</li>
 * </ul>
 * Memory and file URLs take no query parameters or fragments.
 */
public final class ObjectStores {

    private static final String EXPECTED = "expected memory:///, file:///absolute/dir or s3://bucket/prefix";

    private ObjectStores() {
    }

    /**
     * Opens the store {@code url} names. The caller owns (and closes) it.
     *
     * @throws IllegalArgumentException when the URL is malformed or names no supported store; the
     *                                  message says what is wrong
     * @throws ObjectStoreException     when the store cannot be opened (a directory that cannot be created)
     */
    public static ObjectStore resolve(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("an object store URL is required, got " + (url == null ? "null" : "\"" + url + "\"")
                    + "; " + EXPECTED);
        }
        URI uri = parse(url);
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("object store URL \"" + url + "\" has no scheme; " + EXPECTED);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "memory":
                return memory(uri, url);
            case "file":
                return file(uri, url);
            case "s3":
                return s3(uri, url);
            default:
                throw new IllegalArgumentException("object store URL \"" + url + "\" has the unknown scheme \""
                        + uri.getScheme() + "\"; " + EXPECTED);
        }
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("object store URL \"" + url + "\" is malformed (" + e.getMessage() + "); "
                    + EXPECTED, e);
        }
    }

    private static ObjectStore memory(URI uri, String url) {
        if (uri.isOpaque() || uri.getRawAuthority() != null
                || !(uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("memory store URL \"" + url + "\" must be exactly memory:/// (it names no"
                    + " host or path)");
        }
        rejectQueryAndFragment(uri, url);
        return new InMemoryObjectStore();
    }

    private static ObjectStore file(URI uri, String url) {
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("file store URL \"" + url + "\" has a relative path; use"
                    + " file:///absolute/dir (three slashes)");
        }
        String host = uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException("file store URL \"" + url + "\" names the host \"" + host + "\"; only"
                    + " local directories are supported: use file:///absolute/dir (three slashes)");
        }
        rejectQueryAndFragment(uri, url);
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw new IllegalArgumentException("file store URL \"" + url + "\" names no directory; use"
                    + " file:///absolute/dir (the root directory itself is not allowed)");
        }
        Path directory;
        try {
            // Rebuilt without the authority so that Path.of accepts file://localhost/... as well.
            directory = Path.of(new URI("file", null, path, null));
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException("file store URL \"" + url + "\" does not name a directory on this system: "
                    + e.getMessage(), e);
        }
        return new LocalDirectoryObjectStore(directory);
    }

    // ------------------------------------------------------------------ s3://

    private static ObjectStore s3(URI uri, String url) {
        try {
            return S3ObjectStore.fromUri(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("object store URL \"" + url + "\": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void rejectQueryAndFragment(URI uri, String url) {
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("object store URL \"" + url + "\" has query parameters that are not"
                    + " understood: " + uri.getRawQuery() + " (" + uri.getScheme() + " stores take none)");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("object store URL \"" + url + "\" has a fragment (#"
                    + uri.getRawFragment() + "), which object store URLs do not use");
        }
    }
}
