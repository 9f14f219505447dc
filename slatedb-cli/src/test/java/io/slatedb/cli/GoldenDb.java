package io.slatedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slatedb.interop.RustGoldenFixtures;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of one golden database written by the Rust SlateDB 0.12.1 (from the engine's test-jar), with its
 * description: the store directory holds the database at path {@code db}.
 */
public record GoldenDb(String name, Path dir, JsonNode description) {

    /** Copies database {@code name} into {@code dir}. */
    public static GoldenDb copy(String name, Path dir) {
        RustGoldenFixtures.copy(name, dir);
        return new GoldenDb(name, dir, RustGoldenFixtures.description(name));
    }

    /** The names of every golden database. */
    public static List<String> names() {
        return RustGoldenFixtures.names();
    }

    /** The store directory. */
    public Path storeDir() {
        return dir.resolve(description.path("store").asText());
    }

    /** The {@code --store} URL of the copy. */
    public String storeUrl() {
        return fileUrl(storeDir());
    }

    /** The database path inside the store. */
    public String dbPath() {
        return description.path("path").asText();
    }

    /** The description's summary of the latest manifest. */
    public JsonNode latestManifest() {
        return description.path("expected").path("latestManifest");
    }

    /** The manifest summaries recorded by the awaitCompaction operations, in order. */
    public List<JsonNode> compactionManifests() {
        List<JsonNode> manifests = new ArrayList<>();
        for (JsonNode op : description.path("ops")) {
            if (op.path("op").asText().equals("awaitCompaction")) {
                manifests.add(op.path("result").path("manifest"));
            }
        }
        return manifests;
    }

    /** The database's file of {@code relativePath} inside the store, e.g. {@code db/manifest/...}. */
    public Path file(String relativePath) {
        return storeDir().resolve(relativePath);
    }

    public static String fileUrl(Path directory) {
        try {
            return new URI("file", "", directory.toAbsolutePath().toString(), null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
