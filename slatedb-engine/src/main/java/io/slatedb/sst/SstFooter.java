package io.slatedb.sst;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.format.BigEndian;
import io.slatedb.format.ByteSink;
import io.slatedb.format.Crc32;
import io.slatedb.format.FormatException;
import io.slatedb.format.fb.SsTableInfo;

import java.nio.ByteBuffer;

/**
 * The end of every SST: {@code [SsTableInfo][u32 crc32(SsTableInfo)][u64 metadata_offset][u16 version]},
 * big-endian, where {@code metadata_offset} is the offset of the SsTableInfo. The info is checksummed
 * but, unlike the blocks, never compressed.
 *
 * @param metadataOffset where the SsTableInfo starts
 * @param version        the SST format version, which fixes the block layout
 */
record SstFooter(long metadataOffset, int version) {
    /** The fixed-size part at the very end: metadata offset and version. */
    static final int SIZE = 10;

    /** Objects this small hold no SST (an empty object, for example a WAL fence). */
    static boolean isEmptySst(long objectSize) {
        return objectSize <= SIZE;
    }

    /** Reads the footer from {@code bytes[at, at + 10)}. */
    static SstFooter parse(byte[] bytes, int at) {
        return new SstFooter(BigEndian.readU64(bytes, at), BigEndian.readU16(bytes, at + 8));
    }

    /** Encodes {@code info}, its checksum and the footer for an info starting at {@code metadataOffset}. */
    static byte[] encode(SstInfo info, long metadataOffset, int version) {
        FlatBufferBuilder builder = new FlatBufferBuilder(256);
        builder.finish(info.writeTo(builder));
        byte[] infoBytes = builder.sizedByteArray();
        return new ByteSink(infoBytes.length + 4 + SIZE).write(infoBytes).writeU32(Crc32.of(infoBytes))
                .writeU64(metadataOffset).writeU16(version).toByteArray();
    }

    /**
     * Decodes the checksummed info at {@code bytes[from, to)} (the info followed by its CRC).
     *
     * @throws FormatException when it is too short, fails its checksum or does not decode
     */
    static SstInfo decodeInfo(byte[] bytes, int from, int to) {
        int length = to - from - 4;
        if (length < 8) {
            throw new FormatException("SST info of " + Math.max(length, 0) + " bytes is too short");
        }
        long stored = BigEndian.readU32(bytes, from + length);
        long actual = Crc32.of(bytes, from, length);
        if (stored != actual) {
            throw new FormatException(String.format("SST info checksum mismatch: stored %08x, computed %08x", stored, actual));
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, from, length).slice();
            FlatBuffers.checkRoot(buffer);
            return SstInfo.fromFlatBuffer(SsTableInfo.getRootAsSsTableInfo(buffer));
        } catch (FormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FormatException("malformed SST info: " + e.getMessage(), e);
        }
    }
}
