package io.slatedb.gc;

import io.slatedb.metadata.ObjectCodec;

/**
 * Sequenced objects as their stored bytes: the garbage collector lists, reads and deletes
 * {@code .compactions} files without depending on their codec.
 */
final class RawCodec implements ObjectCodec<byte[]> {
    static final RawCodec INSTANCE = new RawCodec();

    private RawCodec() {
    }

    @Override
    public byte[] encode(byte[] value) {
        return value.clone();
    }

    @Override
    public byte[] decode(String path, byte[] bytes) {
        return bytes;
    }
}
