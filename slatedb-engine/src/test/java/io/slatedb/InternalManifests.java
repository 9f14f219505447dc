package io.slatedb;

import io.slatedb.manifest.Manifest;

/** Gives tests outside this package the engine's own model of a {@link ManifestSnapshot}'s content. */
public final class InternalManifests {

    private InternalManifests() {
    }

    /** The internal manifest behind {@code snapshot}. */
    public static Manifest of(ManifestSnapshot snapshot) {
        return snapshot.internal();
    }
}
