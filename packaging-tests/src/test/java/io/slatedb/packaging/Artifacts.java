package io.slatedb.packaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the build put what these tests check: the deliverables copied from the other modules
 * ({@code target/artifacts}), the Flink runtime's class path and the repository's {@code examples/}.
 */
final class Artifacts {
    static final ObjectMapper JSON = new ObjectMapper();

    private Artifacts() {
    }

    static Path artifact(String fileName) {
        Path file = Path.of(System.getProperty("packaging.artifacts", "target/artifacts")).resolve(fileName);
        assertTrue(Files.isRegularFile(file), "copied by the build (mvn verify): " + file.toAbsolutePath());
        return file;
    }

    static Path example(String relative) {
        Path file = Path.of(System.getProperty("packaging.examples", "../examples")).resolve(relative);
        assertTrue(Files.isRegularFile(file), "the example " + file.toAbsolutePath());
        return file;
    }

    /** The jars Flink's own runtime consists of (this module's provided scope), in class path order. */
    static List<Path> flinkRuntime() throws IOException {
        Path file = Path.of(System.getProperty("packaging.flink.classpath", "target/flink-classpath.txt"));
        List<Path> jars = new ArrayList<>();
        for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) {
            jars.add(Path.of(entry));
        }
        return jars;
    }

    /**
     * The {@code config} object of a connector JSON file with its {@code name}, as the worker sees it once
     * the file is POSTed (and as the validate endpoint wants it).
     */
    static Map<String, String> connectorConfig(Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        Map<String, String> config = new java.util.HashMap<>(
                JSON.convertValue(root.get("config"), new TypeReference<Map<String, String>>() { }));
        config.putIfAbsent("name", root.get("name").asText());
        return config;
    }

    /** Unpacks {@code zip} under {@code directory}; returns the entries' names. */
    static List<String> unzip(Path zip, Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                names.add(entry.getName());
                Path out = directory.resolve(entry.getName()).normalize();
                assertTrue(out.startsWith(directory), "an entry outside the directory: " + entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
        }
        return names;
    }
}
