package io.slatedb.util;

import java.util.Comparator;

/**
 * Orders strings by the unsigned bytes of their UTF-8 encoding (which is Unicode code point order),
 * without encoding them. Object stores list keys in this order.
 *
 * <p>{@link String#compareTo} compares UTF-16 code units, which agrees with UTF-8 byte order except
 * between a supplementary character (stored as a surrogate pair, D800–DFFF) and a BMP character in
 * E000–FFFF: UTF-16 puts the surrogate first, UTF-8 puts the supplementary character last. For
 * strings holding unpaired surrogates (which have no UTF-8 encoding) the order is total and
 * consistent but otherwise unspecified.
 */
public final class Utf8Order {

    /** Compares strings as {@link #compare(String, String)} does. */
    public static final Comparator<String> COMPARATOR = Utf8Order::compare;

    private Utf8Order() {
    }

    /** Compares {@code a} and {@code b} as the unsigned bytes of their UTF-8 encodings would compare. */
    public static int compare(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Integer.compare(rank(x), rank(y));
            }
        }
        // A UTF-16 prefix is also a UTF-8 prefix, and the shorter string sorts first in both.
        return Integer.compare(a.length(), b.length());
    }

    /**
     * At the first differing code unit, a surrogate stands for a code point above U+FFFF, so it must
     * rank above every BMP character; among surrogates the UTF-16 order already matches.
     */
    private static int rank(char c) {
        return Character.isSurrogate(c) ? c + 0x10000 : c;
    }
}
