package io.slatedb.manifest;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.FlatBufferVerifier;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes manifest objects: a big-endian u16 format version followed by a FlatBuffer
 * ({@code ManifestV1} for version 1, {@code ManifestV2} for version 2).
 *
 * <p>Like SlateDB, {@link #encode} writes version 1 unless the database is segmented, which only
 * version 2 can describe; {@code manifest_id} is always written as 0 (the id is the object name).
 * {@link #decode} reads both versions, segments included. A version-1 manifest written by SlateDB
 * re-encodes to the same bytes.
 */
public final class ManifestCodec {
    /** The format version of {@code ManifestV1} objects. */
    public static final int VERSION_1 = 1;
    /** The format version of {@code ManifestV2} objects. */
    public static final int VERSION_2 = 2;

    private static final int VERSION_PREFIX_BYTES = 2;

    private ManifestCodec() {
    }

    /**
     * The bytes of a manifest object holding {@code manifest}.
     *
     * @throws IllegalArgumentException when a string in the manifest is not valid Unicode, or when a
     *                                  segmented manifest records a separate WAL store (version 2 has
     *                                  no field for it)
     */
    public static byte[] encode(Manifest manifest) {
        boolean segmented = manifest.core().isSegmented();
        byte[] flatBuffer = segmented ? ManifestEncoder.encodeV2(manifest) : ManifestEncoder.encodeV1(manifest);
        byte[] out = new byte[VERSION_PREFIX_BYTES + flatBuffer.length];
        ByteBuffer.wrap(out).putShort((short) (segmented ? VERSION_2 : VERSION_1)).put(flatBuffer);
        return out;
    }

    /**
     * Decodes the manifest object at {@code objectPath}.
     *
     * @param objectPath the object's path, named in errors
     * @throws CorruptObjectException when the bytes are not a valid manifest of a known version
     */
    public static Manifest decode(String objectPath, byte[] bytes) {
        if (bytes.length < VERSION_PREFIX_BYTES) {
            throw new CorruptObjectException(objectPath, "manifest of " + bytes.length + " bytes has no version");
        }
        int version = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
        if (version != VERSION_1 && version != VERSION_2) {
            throw new CorruptObjectException(objectPath, "unknown manifest version " + version + " (supported: 1, 2)");
        }
        ByteBuffer flatBuffer = ByteBuffer.wrap(bytes, VERSION_PREFIX_BYTES, bytes.length - VERSION_PREFIX_BYTES)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (version == VERSION_1) {
                ManifestVerifier.verifyV1(flatBuffer);
                return ManifestDecoder.decodeV1(flatBuffer);
            }
            ManifestVerifier.verifyV2(flatBuffer);
            return ManifestDecoder.decodeV2(flatBuffer);
        } catch (FlatBufferVerifier.InvalidFlatBufferException e) {
            throw new CorruptObjectException(objectPath, "invalid version-" + version + " manifest FlatBuffer: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Values that are well-formed FlatBuffers but not a valid manifest (unknown enum values...).
            throw new CorruptObjectException(objectPath, "invalid version-" + version + " manifest: "
                    + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            // Verification makes this unreachable; kept so a gap in it still reports a data error.
            throw new CorruptObjectException(objectPath, "truncated version-" + version + " manifest", e);
        }
    }
}
