package io.slatedb.flink.snapshot;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.Path;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A SlateDB checkpoint named as a Flink file path,
 * {@code slatedb-checkpoint:/<store>/<database path>/<checkpoint id>} (store and path in unpadded
 * URL-safe Base64, so any store URL fits in one segment). Flink's checkpoint metadata keeps a file
 * handle's path, so a handle naming the checkpoint this way still deletes it when the job manager
 * discards it after reading it back from {@code _metadata}.
 */
@Internal
public record CheckpointReference(String store, String path, UUID checkpointId) {

    /** The URI scheme of {@link SlateDbCheckpointFileSystem}. */
    public static final String SCHEME = "slatedb-checkpoint";

    /** This reference as a Flink path. */
    public Path toPath() {
        return new Path(SCHEME + ":/" + encode(store) + "/" + encode(path) + "/" + checkpointId);
    }

    /**
     * The reference a path of this scheme names.
     *
     * @throws SlateDbException when the URI is not a checkpoint reference
     */
    public static CheckpointReference of(URI uri) {
        String[] parts = uri.getPath() == null ? new String[0] : uri.getPath().split("/");
        if (!SCHEME.equals(uri.getScheme()) || parts.length != 4 || !parts[0].isEmpty()) {
            throw new SlateDbException(ErrorKind.INVALID,
                    "Not a SlateDB checkpoint reference: " + uri);
        }
        try {
            return new CheckpointReference(decode(parts[1]), decode(parts[2]), UUID.fromString(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new SlateDbException(ErrorKind.INVALID,
                    "Not a SlateDB checkpoint reference: " + uri + " (" + e.getMessage() + ")");
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String segment) {
        return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
    }
}
