package io.slatedb.store;

import java.util.Objects;

/** The condition a put is made under. */
public sealed interface PutMode {

    /** Write whatever is there. */
    PutMode OVERWRITE = new Overwrite();

    /** Write only if no object exists at the path (S3 {@code If-None-Match: *}). */
    PutMode CREATE = new Create();

    /** Write only if the current object's ETag equals {@code etag} (S3 {@code If-Match}). */
    static PutMode ifMatch(String etag) {
        return new IfMatch(etag);
    }

    /** Whether the put can fail because of the object's current state. */
    default boolean conditional() {
        return !(this instanceof Overwrite);
    }

    /** See {@link PutMode#OVERWRITE}. */
    record Overwrite() implements PutMode {
    }

    /** See {@link PutMode#CREATE}. */
    record Create() implements PutMode {
    }

    /** See {@link PutMode#ifMatch(String)}. */
    record IfMatch(String etag) implements PutMode {
        public IfMatch {
            Objects.requireNonNull(etag, "etag");
        }
    }
}
