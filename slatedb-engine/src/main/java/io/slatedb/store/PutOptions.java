package io.slatedb.store;

import java.util.Map;
import java.util.Objects;

/**
 * How to put an object: its condition and its user metadata (stored as {@code x-amz-meta-*} on S3).
 * Metadata names are lower-case ASCII letters, digits and {@code -}.
 */
public record PutOptions(PutMode mode, Map<String, String> userMetadata) {

    /** Unconditional, no metadata. */
    public static final PutOptions OVERWRITE = new PutOptions(PutMode.OVERWRITE, Map.of());

    /** Create-if-absent, no metadata. */
    public static final PutOptions CREATE = new PutOptions(PutMode.CREATE, Map.of());

    public PutOptions {
        Objects.requireNonNull(mode, "mode");
        userMetadata = Map.copyOf(userMetadata);
        for (String name : userMetadata.keySet()) {
            if (name.isEmpty() || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new IllegalArgumentException("user metadata name must be lower-case ASCII letters, digits and '-': " + name);
            }
        }
    }

    /** The given mode without metadata. */
    public static PutOptions of(PutMode mode) {
        return new PutOptions(mode, Map.of());
    }

    /** These options with one more metadata entry. */
    public PutOptions withMetadata(String name, String value) {
        var merged = new java.util.HashMap<>(userMetadata);
        merged.put(name, value);
        return new PutOptions(mode, merged);
    }
}
