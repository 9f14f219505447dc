package io.slatedb.db;

import io.slatedb.testing.S3ProxyServer;
import io.slatedb.testing.S3ProxyExtension;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The kinds of object store the writer tests run on: in memory, a local directory, and S3 served by an
 * S3Proxy in this JVM. Each {@link #open()} gives a fresh, empty store.
 *
 * <p>The S3Proxy server is started on first use and shared by every test of the JVM (starting one
 * costs a second or two); each store works under a fresh prefix of its bucket. Property tests cannot
 * take JUnit extensions, so the server is held here rather than by {@code S3ProxyExtension}; a
 * shutdown hook stops it.
 */
enum TestStore {
    MEMORY, LOCAL, S3;

    /** A fresh store; closing it also removes what it kept on disk. */
    Opened open() {
        return switch (this) {
            case MEMORY -> new Opened(new InMemoryObjectStore(), null);
            case LOCAL -> {
                Path dir = tempDirectory();
                yield new Opened(new LocalDirectoryObjectStore(dir), dir);
            }
            // Retrying, as the handles make every store they are given: S3Proxy sometimes drops a connection.
            case S3 -> new Opened(SharedServer.INSTANCE.openRetryingStoreOnFreshPrefix(), null);
        };
    }

    /** An open store and the directory to delete after it (or null). */
    record Opened(ObjectStore store, Path directory) implements AutoCloseable {
        @Override
        public void close() {
            try {
                store.close();
            } finally {
                if (directory != null) {
                    deleteRecursively(directory);
                }
            }
        }
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("slatedb-writer-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds the shared server; the class loads, and so the server starts, on first use. */
    private static final class SharedServer {
        static final S3ProxyServer INSTANCE = start();

        private static S3ProxyServer start() {
            S3ProxyServer server = S3ProxyServer.start(S3ProxyServer.Backend.TRANSIENT, S3ProxyServer.DEFAULT_BUCKET);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "slatedb-test-s3proxy-stop"));
            return server;
        }
    }
}
