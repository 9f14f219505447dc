package io.slatedb;

/**
 * The block compression codecs SlateDB knows, with the ids stored in an SST's {@code compression_format}.
 * One codec applies to every block of an SST.
 */
public enum CompressionCodec {
    /** No compression. */
    NONE(0),
    /** Raw (unframed) Snappy. */
    SNAPPY(1),
    /** A zlib stream at the default level. */
    ZLIB(2),
    /** An LZ4 block preceded by its uncompressed size as a 4-byte little-endian integer. */
    LZ4(3),
    /** A single Zstandard frame, level 3. */
    ZSTD(4);

    private final byte id;

    CompressionCodec(int id) {
        this.id = (byte) id;
    }

    /** The id stored in the SST metadata. */
    public byte id() {
        return id;
    }

    /** The codec with the stored id, or null when the id is unknown. */
    public static CompressionCodec fromId(int id) {
        for (CompressionCodec codec : values()) {
            if (codec.id == id) {
                return codec;
            }
        }
        return null;
    }
}
