package io.slatedb.sst;

import io.slatedb.format.BigEndian;
import io.slatedb.format.Compression;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Crc32;
import io.slatedb.format.FormatException;

import java.util.Arrays;

/**
 * How every stored block of an SST (data, filter, index, stats) is framed: the payload is compressed
 * with the SST's codec and followed by the big-endian IEEE CRC-32 of the compressed bytes. Reading
 * verifies the checksum first, then decompresses.
 */
public final class BlockFraming {
    /** Bytes of the checksum that ends every stored block. */
    public static final int CHECKSUM_SIZE = 4;

    private BlockFraming() {
    }

    /** The stored form of {@code payload}: compressed, then checksummed. */
    public static byte[] encode(CompressionCodec codec, byte[] payload) {
        byte[] compressed = Compression.compress(codec, payload);
        byte[] out = Arrays.copyOf(compressed, compressed.length + CHECKSUM_SIZE);
        BigEndian.writeU32(out, compressed.length, Crc32.of(compressed));
        return out;
    }

    /**
     * The payload of the stored block at {@code bytes[offset, offset + length)}.
     *
     * @throws FormatException when the block is too short, fails its checksum or does not decompress
     */
    public static byte[] decode(CompressionCodec codec, byte[] bytes, int offset, int length) {
        if (length <= CHECKSUM_SIZE) {
            throw new FormatException("stored block of " + length + " bytes is too short for its checksum");
        }
        int bodyLength = length - CHECKSUM_SIZE;
        long stored = BigEndian.readU32(bytes, offset + bodyLength);
        long actual = Crc32.of(bytes, offset, bodyLength);
        if (stored != actual) {
            throw new FormatException(String.format("block checksum mismatch: stored %08x, computed %08x", stored, actual));
        }
        return Compression.decompress(codec, bytes, offset, bodyLength);
    }

    /** The payload of the stored block that fills all of {@code bytes}. */
    public static byte[] decode(CompressionCodec codec, byte[] bytes) {
        return decode(codec, bytes, 0, bytes.length);
    }
}
