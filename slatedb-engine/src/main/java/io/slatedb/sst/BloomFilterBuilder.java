package io.slatedb.sst;

import java.util.Arrays;

/**
 * Collects key hashes and builds a {@link BloomFilter} sized like the Rust SlateDB's:
 * {@code ceil(keys * bits_per_key / 8)} bytes and {@code floor(bits_per_key * 0.69)} probes, computed
 * in single precision as Rust does. Every added key counts, duplicates included, as in Rust, which
 * feeds the filter every row of an SST.
 */
public final class BloomFilterBuilder {
    private final int bitsPerKey;
    private long[] hashes = new long[64];
    private int count;

    public BloomFilterBuilder(int bitsPerKey) {
        if (bitsPerKey < 1) {
            throw new IllegalArgumentException("bits per key must be at least 1: " + bitsPerKey);
        }
        this.bitsPerKey = bitsPerKey;
    }

    /** The probe count of filters with {@code bitsPerKey} bits per key: {@code (u16) (bits_per_key as f32 * 0.69)}. */
    public static int numProbes(int bitsPerKey) {
        return (int) Math.min(0xffff, (long) (bitsPerKey * 0.69f));
    }

    /** Adds the hash of {@code key}. */
    public void addKey(byte[] key) {
        if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        hashes[count++] = BloomFilter.hash(key);
    }

    /** The number of keys added. */
    public int keyCount() {
        return count;
    }

    /** The filter over every key added. */
    public BloomFilter build() {
        long sizeBytes = ((long) count * bitsPerKey + 7) / 8;
        if (sizeBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("bloom filter of " + sizeBytes + " bytes is too large");
        }
        byte[] bits = new byte[(int) sizeBytes];
        int probes = numProbes(bitsPerKey);
        for (int i = 0; i < count; i++) {
            BloomFilter.setBits(bits, probes, hashes[i]);
        }
        return new BloomFilter(probes, bits);
    }
}
