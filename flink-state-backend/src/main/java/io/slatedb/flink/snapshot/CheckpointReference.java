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
 * A SlateDB checkpoint named as a Flink file path, {@code <scheme>:/<store>/<database path>/<checkpoint id>}
 * (store and path in unpadded URL-safe Base64, so any store URL fits in one segment). Flink's checkpoint
 * metadata keeps a file handle's path, so a handle naming the checkpoint this way still releases it when
 * the job manager discards it after reading it back from {@code _metadata}. The scheme says what the
 * release is ({@link Kind}).
 */
@Internal
public record CheckpointReference(Kind kind, String store, String path, UUID checkpointId) {

    /** The URI scheme of a plain checkpoint ({@link Kind#CHECKPOINT}). */
    public static final String SCHEME = "slatedb-checkpoint";
    /** The URI scheme of a pinned clone ({@link Kind#PINNED_CLONE}). */
    public static final String PINNED_CLONE_SCHEME = "slatedb-pinned-clone";

    /** What the checkpoint is, and so what releasing it does. */
    public enum Kind {
        /** A checkpoint of a job's database; releasing it deletes the checkpoint. */
        CHECKPOINT(SCHEME),
        /**
         * The pin of a database made for a native savepoint ({@link io.slatedb.flink.fork.PinnedClones});
         * releasing it releases the whole database.
         */
        PINNED_CLONE(PINNED_CLONE_SCHEME);

        private final String scheme;

        Kind(String scheme) {
            this.scheme = scheme;
        }

        /** The URI scheme of references of this kind. */
        public String scheme() {
            return scheme;
        }
    }

    /** A reference to a plain checkpoint. */
    public CheckpointReference(String store, String path, UUID checkpointId) {
        this(Kind.CHECKPOINT, store, path, checkpointId);
    }

    /** This reference as a Flink path. */
    public Path toPath() {
        return new Path(kind.scheme() + ":/" + encode(store) + "/" + encode(path) + "/" + checkpointId);
    }

    /**
     * The reference a path of either scheme names.
     *
     * @throws SlateDbException when the URI is not a checkpoint reference
     */
    public static CheckpointReference of(URI uri) {
        String[] parts = uri.getPath() == null ? new String[0] : uri.getPath().split("/");
        Kind kind = null;
        for (Kind candidate : Kind.values()) {
            if (candidate.scheme().equals(uri.getScheme())) {
                kind = candidate;
            }
        }
        if (kind == null || parts.length != 4 || !parts[0].isEmpty()) {
            throw new SlateDbException(ErrorKind.INVALID,
                    "Not a SlateDB checkpoint reference: " + uri);
        }
        try {
            return new CheckpointReference(kind, decode(parts[1]), decode(parts[2]), UUID.fromString(parts[3]));
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
