package io.slatedb.format;

import java.util.zip.CRC32;

/** IEEE CRC-32 (the checksum SlateDB puts after every stored block and after the SST info). */
public final class Crc32 {
    private Crc32() {
    }

    /** The CRC-32 of {@code bytes[offset, offset + length)} as an unsigned 32-bit value. */
    public static long of(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    /** The CRC-32 of all of {@code bytes}. */
    public static long of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }
}
