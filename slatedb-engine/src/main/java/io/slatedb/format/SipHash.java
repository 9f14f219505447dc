package io.slatedb.format;

/**
 * SipHash (Aumasson and Bernstein) with a configurable number of compression and finalization rounds.
 * SlateDB's bloom filters hash keys with SipHash-1-3 under the all-zero key (the Rust
 * {@code siphasher::sip::SipHasher13::new()}); the JDK has no SipHash, so it is implemented here.
 * The general form exists so that the implementation can be checked against the published
 * SipHash-2-4 test vectors.
 */
public final class SipHash {
    private SipHash() {
    }

    /** SipHash-1-3 with key (0, 0) over {@code data}: the hash of SlateDB's bloom filters. */
    public static long sipHash13(byte[] data) {
        return hash(1, 3, 0L, 0L, data, 0, data.length);
    }

    /**
     * SipHash-c-d of {@code data[offset, offset + length)} under the 128-bit key whose little-endian
     * halves are {@code k0} and {@code k1}.
     */
    public static long hash(int compressionRounds, int finalizationRounds, long k0, long k1,
                            byte[] data, int offset, int length) {
        State state = new State(k0, k1);
        int fullWords = length & ~7;
        for (int i = 0; i < fullWords; i += 8) {
            state.absorb(littleEndianWord(data, offset + i, 8), compressionRounds);
        }
        // The last word holds the 0-7 trailing bytes and, in its top byte, the input length mod 256.
        state.absorb(littleEndianWord(data, offset + fullWords, length - fullWords) | ((long) length << 56),
                compressionRounds);
        return state.finish(finalizationRounds);
    }

    /** The four 64-bit words of SipHash's internal state. */
    private static final class State {
        private long v0;
        private long v1;
        private long v2;
        private long v3;

        State(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        void absorb(long word, int rounds) {
            v3 ^= word;
            rounds(rounds);
            v0 ^= word;
        }

        long finish(int rounds) {
            v2 ^= 0xff;
            rounds(rounds);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private void rounds(int count) {
            for (int r = 0; r < count; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13);
                v1 ^= v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16);
                v3 ^= v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21);
                v3 ^= v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17);
                v1 ^= v2;
                v2 = Long.rotateLeft(v2, 32);
            }
        }
    }

    private static long littleEndianWord(byte[] data, int at, int count) {
        long word = 0;
        for (int i = 0; i < count; i++) {
            word |= (long) (data[at + i] & 0xff) << (8 * i);
        }
        return word;
    }
}
