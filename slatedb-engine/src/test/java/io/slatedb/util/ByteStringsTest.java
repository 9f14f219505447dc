package io.slatedb.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteStringsTest {

    @Test
    void printableAsciiIsQuotedWithEscapes() {
        assertEquals("\"user:42\"", ByteStrings.describe("user:42".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("\"a\\\"b\\\\c\"", ByteStrings.describe("a\"b\\c".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("\"\"", ByteStrings.describe(new byte[0]));
    }

    @Test
    void anythingElseIsHex() {
        assertEquals("0x00ff7f", ByteStrings.describe(new byte[] {0, (byte) 0xff, 0x7f}));
        assertEquals("0x610a", ByteStrings.describe(new byte[] {'a', '\n'}));
        assertEquals("null", ByteStrings.describe(null));
    }

    @Test
    void longArraysAreCutAndGiveTheirLength() {
        byte[] bytes = new byte[100];
        java.util.Arrays.fill(bytes, (byte) 'x');
        assertEquals("\"" + "x".repeat(ByteStrings.MAX_SHOWN) + "\"...(100 bytes)", ByteStrings.describe(bytes));
    }
}
