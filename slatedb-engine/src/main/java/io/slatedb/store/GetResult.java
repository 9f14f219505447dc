package io.slatedb.store;

import java.util.Objects;

/**
 * The bytes read by a get (the whole object, or the requested range of it) and the metadata of the
 * whole object.
 */
public record GetResult(byte[] data, ObjectMetadata metadata) {
    public GetResult {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
    }
}
