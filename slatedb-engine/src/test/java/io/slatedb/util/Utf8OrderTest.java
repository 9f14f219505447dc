package io.slatedb.util;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8OrderTest {

    private static int byUtf8Bytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void supplementaryCharactersSortAfterTheTopOfTheBmp() {
        String emoji = "\uD83D\uDE00"; // U+1F600, UTF-8 F0 9F 98 80
        String fullwidthA = "\uFF21"; // U+FF21, UTF-8 EF BC A1
        assertTrue(emoji.compareTo(fullwidthA) < 0, "UTF-16 order puts the surrogate pair first");
        assertTrue(Utf8Order.compare(emoji, fullwidthA) > 0);
        assertTrue(Utf8Order.compare(fullwidthA, emoji) < 0);
    }

    @Test
    void agreesWithStringOrderOnAscii() {
        assertTrue(Utf8Order.compare("a", "b") < 0);
        assertTrue(Utf8Order.compare("a/b", "a.b") > 0);
        assertTrue(Utf8Order.compare("a", "ab") < 0);
        assertEquals(0, Utf8Order.compare("same", "same"));
        assertEquals(0, Utf8Order.compare("", ""));
    }

    @Test
    void sortingMatchesTheOrderOfTheEncodedBytes() {
        List<String> names = new ArrayList<>(List.of("z", "\uFF21", "\uD83D\uDE00", "\u00E9", "e", "\uD800\uDC00",
                "\uE000", "\uD7FF", "a/b", "a.b", "a-b", "a0"));
        List<String> expected = new ArrayList<>(names);
        expected.sort(Utf8OrderTest::byUtf8Bytes);
        names.sort(Utf8Order.COMPARATOR);
        assertEquals(expected, names);
    }

    @Property(tries = 2000)
    void hasTheSignOfTheUtf8ByteComparison(@ForAll("text") String a, @ForAll("text") String b) {
        assertEquals(Integer.signum(byUtf8Bytes(a, b)), Integer.signum(Utf8Order.compare(a, b)));
    }

    @Property(tries = 500)
    void aStringAndItsExtensionCompareLikeTheirBytes(@ForAll("text") String a, @ForAll("text") String suffix) {
        String extended = a + suffix;
        assertEquals(Integer.signum(byUtf8Bytes(a, extended)), Integer.signum(Utf8Order.compare(a, extended)));
    }

    /** Valid Unicode text mixing ASCII, the upper BMP (E000–FFFF) and supplementary characters. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7E),
                Arbitraries.integers().between(0x80, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0xFFFF),
                Arbitraries.integers().between(0x10000, 0x10FFFF));
        return codePoints.list().ofMaxSize(6).map(list -> {
            StringBuilder out = new StringBuilder();
            list.forEach(out::appendCodePoint);
            return out.toString();
        });
    }
}
