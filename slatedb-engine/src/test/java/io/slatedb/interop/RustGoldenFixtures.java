package io.slatedb.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The golden databases the Rust SlateDB 0.12.1 wrote ({@code src/test/resources/golden/rust-0.12.1}, made by
 * {@code src/test/node/generate-golden.mjs}), usable without Node. Each database {@code <name>} is a local
 * directory store {@code <name>/store} holding the database at path {@code db} (and, for a database with a
 * separate WAL store, {@code <name>/wal-store}), described by {@code <name>.json}: the operations with the
 * seq and create_ts SlateDB assigned, what a SlateDB reader returns, the raw WAL rows, and a manifest summary.
 *
 * <p>Tests work on a copy ({@link #copy}): opening a database writes to it.
 */
public final class RustGoldenFixtures {

    public static final String ROOT = "golden/rust-0.12.1";
    public static final String DB_PATH = "db";

    private RustGoldenFixtures() {
    }

    /** The names of the golden databases, from {@code index.json}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        readJson(ROOT + "/index.json").path("databases").forEach(d -> names.add(d.path("name").asText()));
        return List.copyOf(names);
    }

    /** The description {@code <name>.json}. */
    public static JsonNode description(String name) {
        return readJson(ROOT + "/" + name + ".json");
    }

    /**
     * Copies database {@code name} into {@code dir}; returns {@code dir}, which then holds {@code store/} (and
     * {@code wal-store/} if the database has one). Works from a directory or from the test-jar.
     */
    public static Path copy(String name, Path dir) {
        String prefix = ROOT + "/" + name + "/";
        URL marker = resource(ROOT + "/" + name + ".json");
        try {
            if ("file".equals(marker.getProtocol())) {
                Path source = Path.of(marker.toURI()).resolveSibling(name);
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        Path target = dir.resolve(source.relativize(file).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                JarURLConnection connection = (JarURLConnection) marker.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        JarEntry entry = e.nextElement();
                        if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                            continue;
                        }
                        Path target = dir.resolve(entry.getName().substring(prefix.length())).normalize();
                        Files.createDirectories(target.getParent());
                        try (InputStream in = jar.getInputStream(entry)) {
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("copying golden database " + name, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(String resource) {
        try (InputStream in = resource(resource).openStream()) {
            return RustSlateDb.json().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    private static URL resource(String name) {
        URL url = RustGoldenFixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the test classpath");
        }
        return url;
    }
}
