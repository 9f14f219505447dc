package io.slatedb.format;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteCursorTest {

    @Property(tries = 500)
    void varintsRoundTripWithTheirLength(@ForAll @LongRange(min = 0, max = 0xffffffffL) long value) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            byte[] encoded = new ByteSink().writeVarU32(value).toByteArray();
            assertEquals(ByteSink.varU32Length(value), encoded.length);
            ByteCursor cursor = new ByteCursor(encoded);
            assertEquals(value, cursor.readVarU32("v"));
            assertTrue(cursor.exhausted());
        });
    }

    @Test
    @Timeout(5)
    void varintsAreLeb128() {
        assertArrayEquals(new byte[] {0x00}, new ByteSink().writeVarU32(0).toByteArray());
        assertArrayEquals(new byte[] {0x7f}, new ByteSink().writeVarU32(127).toByteArray());
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, new ByteSink().writeVarU32(128).toByteArray());
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
                new ByteSink().writeVarU32(0xffffffffL).toByteArray());
    }

    @Test
    @Timeout(5)
    void overlongAndOverflowingVarintsAreFormatErrors() {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
        assertThrows(FormatException.class, () -> new ByteCursor(sixBytes).readVarU32("v"));
        byte[] beyond32Bits = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x1f};
        assertThrows(FormatException.class, () -> new ByteCursor(beyond32Bits).readVarU32("v"));
        byte[] unterminated = {(byte) 0x80};
        assertThrows(FormatException.class, () -> new ByteCursor(unterminated).readVarU32("v"));
    }

    @Test
    @Timeout(5)
    void fixedWidthIntegersAreBigEndianAndBoundsChecked() {
        byte[] bytes = new ByteSink().writeU16(0x0102).writeU32(0x03040506L).writeU64(0x0708090a0b0c0d0eL).toByteArray();
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, bytes);
        ByteCursor cursor = new ByteCursor(bytes, 0, 13);
        assertEquals(0x0102, cursor.readU16("a"));
        assertEquals(0x03040506L, cursor.readU32("b"));
        FormatException e = assertThrows(FormatException.class, () -> cursor.readU64("c"));
        assertEquals("truncated c: need 8 bytes, 7 left", e.getMessage());
        assertThrows(FormatException.class, () -> cursor.readBytes(8, "d"));
        assertThrows(FormatException.class, () -> cursor.readBytes(1L << 40, "d"));
    }
}
