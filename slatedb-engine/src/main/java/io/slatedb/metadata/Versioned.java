package io.slatedb.metadata;

import java.util.Objects;

/** A metadata value with the id of the object it was read from or written to. */
public record Versioned<T>(long id, T value) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        if (id == 0) {
            throw new IllegalArgumentException("object ids start at 1: " + Long.toUnsignedString(id));
        }
    }
}
