package io.slatedb;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored manifest version as listed in the object store.
 *
 * @param id           the manifest's id (unsigned 64-bit, held in a long)
 * @param path         its object path, e.g. {@code db/manifest/00000000000000000007.manifest}
 * @param sizeBytes    its size in bytes
 * @param lastModified when the object was written
 */
public record ManifestInfo(long id, String path, long sizeBytes, Instant lastModified) {

    /** @throws NullPointerException when {@code path} or {@code lastModified} is null */
    public ManifestInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
