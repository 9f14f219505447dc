package io.slatedb.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyTextTest {

    private static String text(String key) {
        return KeyText.format(key.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void printableUtf8IsQuoted() {
        assertEquals("\"key000\"", text("key000"));
        assertEquals("\"user 42/é€\"", text("user 42/é€"));
        assertEquals("\"\"", text(""));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\"", text("a\"b\\c"));
    }

    @Test
    void invalidUtf8AndUnprintableCharactersAreHex() {
        assertEquals("0xff00", KeyText.format(new byte[] {(byte) 0xFF, 0}, false));
        assertEquals("0x610a", text("a\n"));
        assertEquals("0x00000001", KeyText.format(new byte[] {0, 0, 0, 1}, false));
        assertEquals("0xe2808b", text("\u200B")); // a format character (zero-width space)
        assertEquals("0xeda080", KeyText.format(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, false));
    }

    @Test
    void hexCanBeForcedAndAbsentKeysAreADash() {
        assertEquals("0x6b6579", KeyText.format("key".getBytes(StandardCharsets.UTF_8), true));
        assertEquals("0x", KeyText.format(new byte[0], true));
        assertEquals("-", KeyText.format(null, false));
    }
}
