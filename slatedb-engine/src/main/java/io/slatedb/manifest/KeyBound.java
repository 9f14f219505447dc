package io.slatedb.manifest;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One end of a {@link KeyRange}: unbounded, or a key that is included in or excluded from the range.
 * Keys compare as unsigned bytes.
 *
 * @param kind the bound's kind
 * @param key  the key; null exactly when the bound is {@link Kind#UNBOUNDED}
 */
public record KeyBound(Kind kind, byte[] key) {

    /** How a bound limits its range. */
    public enum Kind {
        UNBOUNDED,
        INCLUDED,
        EXCLUDED
    }

    private static final KeyBound UNBOUNDED = new KeyBound(Kind.UNBOUNDED, null);

    public KeyBound {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.UNBOUNDED) != (key == null)) {
            throw new IllegalArgumentException(kind == Kind.UNBOUNDED
                    ? "an unbounded bound has no key" : "an " + kind + " bound needs a key");
        }
        key = key == null ? null : key.clone();
    }

    public static KeyBound unbounded() {
        return UNBOUNDED;
    }

    public static KeyBound included(byte[] key) {
        return new KeyBound(Kind.INCLUDED, Objects.requireNonNull(key, "key"));
    }

    public static KeyBound excluded(byte[] key) {
        return new KeyBound(Kind.EXCLUDED, Objects.requireNonNull(key, "key"));
    }

    /** A copy of the key, or null for an unbounded bound. */
    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBound other && kind == other.kind && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return kind == Kind.UNBOUNDED ? "Unbounded" : kind + "(" + HexFormat.of().formatHex(key) + ")";
    }
}
