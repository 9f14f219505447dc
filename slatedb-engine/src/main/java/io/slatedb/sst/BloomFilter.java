package io.slatedb.sst;

import io.slatedb.format.BigEndian;
import io.slatedb.format.FormatException;
import io.slatedb.format.SipHash;

import java.util.Arrays;

/**
 * SlateDB's bloom filter over whole keys. Keys are hashed with SipHash-1-3 under the zero key; the
 * probes use enhanced double hashing: {@code h = low32 % bits}, {@code delta = high32 % bits}, and for
 * probe {@code i}: {@code delta = (delta + i) % bits}, test bit {@code h}, {@code h = (h + delta) % bits}.
 * Bit {@code b} is bit {@code b % 8} (least significant first) of byte {@code b / 8}. Encoded as
 * {@code u16 num_probes | bit array}. Immutable.
 */
public final class BloomFilter {
    private final int numProbes;
    private final byte[] bits;

    BloomFilter(int numProbes, byte[] bits) {
        this.numProbes = numProbes;
        this.bits = bits;
    }

    /**
     * Decodes {@code u16 num_probes | bit array}.
     *
     * @throws FormatException when there is no probe count
     */
    public static BloomFilter decode(byte[] data) {
        if (data.length < 2) {
            throw new FormatException("bloom filter of " + data.length + " bytes has no probe count");
        }
        return new BloomFilter(BigEndian.readU16(data, 0), Arrays.copyOfRange(data, 2, data.length));
    }

    /** The encoded filter: {@code u16 num_probes | bit array}. */
    public byte[] encode() {
        byte[] out = new byte[2 + bits.length];
        BigEndian.writeU16(out, 0, numProbes);
        System.arraycopy(bits, 0, out, 2, bits.length);
        return out;
    }

    /** The hash a key is filtered by. */
    public static long hash(byte[] key) {
        return SipHash.sipHash13(key);
    }

    /** False only if {@code key} is certainly not in the set the filter was built from. */
    public boolean mightContain(byte[] key) {
        return mightContainHash(hash(key));
    }

    boolean mightContainHash(long hash) {
        // The Rust filter counts bits in a u32; mirror its wrap-around so huge filters probe alike.
        long bitCount = ((long) bits.length * 8) & 0xffffffffL;
        if (bitCount == 0) {
            // Nothing to test against: never rule a key out.
            return true;
        }
        long h = (hash & 0xffffffffL) % bitCount;
        long delta = (hash >>> 32) % bitCount;
        for (int i = 0; i < numProbes; i++) {
            delta = nextDelta(delta, i, bitCount);
            if ((bits[(int) (h >>> 3)] & (1 << (h & 7))) == 0) {
                return false;
            }
            h = nextProbe(h, delta, bitCount);
        }
        return true;
    }

    static void setBits(byte[] bits, int numProbes, long hash) {
        long bitCount = ((long) bits.length * 8) & 0xffffffffL;
        if (bitCount == 0) {
            return;
        }
        long h = (hash & 0xffffffffL) % bitCount;
        long delta = (hash >>> 32) % bitCount;
        for (int i = 0; i < numProbes; i++) {
            delta = nextDelta(delta, i, bitCount);
            bits[(int) (h >>> 3)] |= (byte) (1 << (h & 7));
            h = nextProbe(h, delta, bitCount);
        }
    }

    // The probe steps are the modular sums of the scheme; with both terms below bitCount (as they
    // nearly always are) one subtraction replaces a 64-bit division.

    /** {@code (delta + i) % bitCount}, for {@code delta < bitCount}. */
    private static long nextDelta(long delta, int i, long bitCount) {
        long sum = delta + i;
        return sum < bitCount ? sum : sum % bitCount;
    }

    /** {@code (h + delta) % bitCount}, for {@code h} and {@code delta} below {@code bitCount}. */
    private static long nextProbe(long h, long delta, long bitCount) {
        long sum = h + delta;
        return sum < bitCount ? sum : sum - bitCount;
    }

    /** The number of probes per key. */
    public int numProbes() {
        return numProbes;
    }

    /** The size of the bit array in bytes. */
    public int sizeInBytes() {
        return bits.length;
    }
}
