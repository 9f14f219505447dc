package io.slatedb.interop;

/**
 * The value-generation rule shared with the Node harness ({@code lib/common.mjs#patternBytes}) and used by
 * the golden fixtures' descriptions: {@code len} bytes cycling through {@code 'a'..'z'}, starting at letter
 * {@code seed mod 26}. Values are compressible on purpose, so every codec really shrinks the blocks.
 */
public final class ValuePattern {

    private ValuePattern() {
    }

    public static byte[] bytes(int len, int seed) {
        if (len < 0 || seed < 0) {
            throw new IllegalArgumentException("len and seed must be non-negative: " + len + ", " + seed);
        }
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) ('a' + (int) ((seed + (long) i) % 26));
        }
        return out;
    }
}
