package io.slatedb.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a store knows about an object. {@code userMetadata} is filled by head and get, and is empty in
 * list results.
 */
public record ObjectMetadata(String path, long size, String etag, Instant lastModified,
                             Map<String, String> userMetadata) {
    public ObjectMetadata {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lastModified, "lastModified");
        userMetadata = Map.copyOf(userMetadata);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
