package io.slatedb.format;

import java.util.Objects;

/**
 * A ULID: a 128-bit id whose upper 48 bits are a Unix timestamp in milliseconds and whose lower 80 bits
 * are random. SlateDB names compacted SSTs, SST views and compactions with ULIDs, and its garbage
 * collector reads the embedded time, so the timestamp half must come from the wall clock.
 *
 * <p>The text form is 26 characters of Crockford base32, upper case, most significant first (the first
 * character carries only 3 bits). In FlatBuffers a ULID is the table {@code Ulid{high, low}} holding
 * the upper and lower 64 bits. Ordering is unsigned over the 128 bits, which is also time order.
 *
 * @param high the upper 64 bits: the 48-bit timestamp followed by the first 16 random bits
 * @param low  the lower 64 random bits
 */
public record Ulid(long high, long low) implements Comparable<Ulid> {

    /** Length of the text form. */
    public static final int STRING_LENGTH = 26;
    /** The largest timestamp a ULID can hold (2^48 - 1 ms). */
    public static final long MAX_TIMESTAMP_MILLIS = (1L << 48) - 1;

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final byte[] DECODE = new byte[128];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
        }
    }

    /** A ULID from its timestamp and its 80 random bits, given as the upper 16 and lower 64 bits. */
    public static Ulid of(long timestampMillis, int randomHigh16, long randomLow64) {
        if (timestampMillis < 0 || timestampMillis > MAX_TIMESTAMP_MILLIS) {
            throw new IllegalArgumentException("ULID timestamp out of range: " + timestampMillis);
        }
        return new Ulid((timestampMillis << 16) | (randomHigh16 & 0xFFFFL), randomLow64);
    }

    /**
     * Parses the 26-character Crockford base32 form. Lower-case letters are accepted, as SlateDB's
     * parser does; the ambiguous letters I, L, O and U are not.
     *
     * @throws IllegalArgumentException when {@code text} is not a ULID
     */
    public static Ulid parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() != STRING_LENGTH) {
            throw new IllegalArgumentException("a ULID has " + STRING_LENGTH + " characters: '" + text + "'");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < STRING_LENGTH; i++) {
            char c = text.charAt(i);
            int digit = c < DECODE.length ? DECODE[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("invalid ULID character '" + c + "' in '" + text + "'");
            }
            if (i == 0 && digit > 7) {
                // 26 base32 digits carry 130 bits; the first may only use the lowest 3.
                throw new IllegalArgumentException("ULID out of range: '" + text + "'");
            }
            // Shift the 128-bit (high, low) pair left by 5 bits and add the digit.
            high = (high << 5) | (low >>> 59);
            low = (low << 5) | digit;
        }
        return new Ulid(high, low);
    }

    /** The embedded Unix timestamp in milliseconds. */
    public long timestampMillis() {
        return high >>> 16;
    }

    /**
     * The next ULID in the same millisecond: this value plus one in its 80 random bits.
     *
     * @throws IllegalStateException when the random bits are all ones
     */
    public Ulid increment() {
        long newLow = low + 1;
        long newHigh = newLow == 0 ? high + 1 : high;
        if ((newHigh >>> 16) != (high >>> 16)) {
            throw new IllegalStateException("ULID random part overflow in millisecond " + timestampMillis());
        }
        return new Ulid(newHigh, newLow);
    }

    @Override
    public int compareTo(Ulid other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    /** The 26-character upper-case Crockford base32 form. */
    @Override
    public String toString() {
        char[] out = new char[STRING_LENGTH];
        long h = high;
        long l = low;
        for (int i = STRING_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (l & 31)];
            // Shift the 128-bit pair right by 5 bits.
            l = (l >>> 5) | (h << 59);
            h >>>= 5;
        }
        return new String(out);
    }
}
