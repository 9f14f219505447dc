package io.slatedb.metadata;

/** Turns a metadata value into the bytes of its object and back. */
public interface ObjectCodec<T> {

    byte[] encode(T value);

    /**
     * Decodes the object at {@code path}; fails with {@link io.slatedb.CorruptObjectException} naming
     * the path when the bytes are not a valid encoding.
     */
    T decode(String path, byte[] bytes);
}
