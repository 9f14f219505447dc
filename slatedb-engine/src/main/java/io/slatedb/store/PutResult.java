package io.slatedb.store;

/** The outcome of a successful put: the new object's ETag (usable with {@link PutMode#ifMatch}). */
public record PutResult(String etag) {
}
