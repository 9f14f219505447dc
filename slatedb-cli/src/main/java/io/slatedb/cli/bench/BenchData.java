package io.slatedb.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The keys and values of a benchmark: key {@code i} is its decimal digits left-padded with {@code 0}
 * to the key size (so keys sort as their indexes do, and a hex dump is readable); values are random
 * bytes, so that no engine profits from compression.
 */
final class BenchData {

    private final int keySize;
    private final int valueSize;

    BenchData(int keySize, int valueSize) {
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    /** The fewest key bytes that hold every index below {@code num}. */
    static int digitsFor(long num) {
        return Long.toString(Math.max(0, num - 1)).length();
    }

    /** Key {@code index}. */
    byte[] key(long index) {
        byte[] key = new byte[keySize];
        Arrays.fill(key, (byte) '0');
        byte[] digits = Long.toString(index).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, key, keySize - digits.length, digits.length);
        return key;
    }

    /** A fresh random value. */
    byte[] value(SplittableRandom random) {
        byte[] value = new byte[valueSize];
        for (int i = 0; i < valueSize; i += 8) {
            long bits = random.nextLong();
            for (int j = i; j < Math.min(valueSize, i + 8); j++) {
                value[j] = (byte) bits;
                bits >>>= 8;
            }
        }
        return value;
    }
}
