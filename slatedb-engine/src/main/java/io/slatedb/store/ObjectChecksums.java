package io.slatedb.store;

import java.util.zip.CRC32C;

/** The end-to-end object checksum the stores record at put and verify at get: CRC32C of the whole object. */
final class ObjectChecksums {
    private ObjectChecksums() {
    }

    /** The CRC32C of {@code data}, as an unsigned 32-bit value. */
    static long crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }

    /** The recorded form of a checksum: 8 lower-case hex digits. */
    static String format(long crc32c) {
        return String.format("%08x", crc32c);
    }

    /**
     * Checks {@code data}, the whole object at {@code path}, against the {@code recorded} checksum.
     *
     * @throws ObjectChecksumException when they differ, or when the recorded value is not a checksum
     */
    static void verify(String path, byte[] data, String recorded) {
        long expected;
        try {
            expected = Long.parseUnsignedLong(recorded.trim(), 16);
        } catch (NumberFormatException e) {
            throw new ObjectChecksumException(path, "its recorded CRC32C " + recorded + " is not a checksum", e);
        }
        long actual = crc32c(data);
        if (actual != expected) {
            throw new ObjectChecksumException(path, "CRC32C of its " + data.length + " bytes is " + format(actual)
                    + ", but " + format(expected) + " was recorded when it was written", null);
        }
    }
}
