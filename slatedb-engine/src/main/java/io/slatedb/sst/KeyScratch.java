package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.FormatException;

import java.util.Arrays;

/**
 * One reusable buffer holding the key of the row a block seek is at, rebuilt in place from the previous
 * row's key: a row shares a prefix with its predecessor, so only its suffix is written. Seeks compare
 * the keys they pass over here instead of allocating one array per row. Not thread-safe.
 */
final class KeyScratch {
    private byte[] bytes = new byte[64];
    private int length;

    /** Forgets the key, as at a restart point, where a row shares nothing with its predecessor. */
    void clear() {
        length = 0;
    }

    /**
     * Rebuilds the key of a row that shares {@code shared} bytes with the key held now and stores
     * {@code unshared} more at the cursor, and moves the cursor past those bytes.
     *
     * @param restart whether the row is at a restart point (then nothing may be shared)
     */
    void restore(ByteCursor in, long shared, long unshared, boolean restart) {
        if (shared > length) {
            throw new FormatException("row shares " + shared + " key bytes with a " + length + "-byte previous key"
                    + (restart ? " (at a restart point)" : ""));
        }
        if (unshared > in.remaining()) {
            throw new FormatException("truncated row key: " + unshared + " bytes, " + in.remaining() + " left");
        }
        int total = (int) (shared + unshared);
        if (total > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(total, 2 * bytes.length));
        }
        in.readInto(bytes, (int) shared, (int) unshared, "row key suffix");
        length = total;
    }

    /** Compares the held key with {@code key} as unsigned bytes. */
    int compareTo(byte[] key) {
        return Arrays.compareUnsigned(bytes, 0, length, key, 0, key.length);
    }

    /** The held key as a new array. */
    byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }
}
