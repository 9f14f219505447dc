package io.slatedb.connect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SinkOffsetKeysTest {

    @Test
    void offsetKeysAreReservedReadableAndParseBack() {
        byte[] key = SinkOffsetKeys.offsetKey("orders.v1", 12);
        assertTrue(SinkOffsetKeys.isReserved(key));
        assertArrayEquals(bytes("\0\0slatedb.connect\0offsets/orders.v1/12"), key);
        assertEquals(Optional.of(new SinkOffsetKeys.TopicPartitionOffsetKey("orders.v1", 12)),
                SinkOffsetKeys.parseOffsetKey(key));
        assertTrue(startsWith(key, SinkOffsetKeys.offsetKeyPrefix()));
        assertTrue(startsWith(key, SinkOffsetKeys.offsetKeyPrefix("orders.v1")));
        assertFalse(startsWith(SinkOffsetKeys.offsetKey("orders.v10", 1), SinkOffsetKeys.offsetKeyPrefix("orders.v1")));
    }

    @Test
    void ordinaryKeysAreNotReserved() {
        assertFalse(SinkOffsetKeys.isReserved(new byte[0]));
        assertFalse(SinkOffsetKeys.isReserved(new byte[] {0, 0, 0, 0, 0, 0, 0, 42}));
        assertFalse(SinkOffsetKeys.isReserved(bytes("customer-1")));
        assertFalse(SinkOffsetKeys.isReserved(bytes("\0\0slatedb.connec")));
        assertEquals(Optional.empty(), SinkOffsetKeys.parseOffsetKey(bytes("customer-1")));
    }

    @Test
    void malformedOffsetKeysDoNotParse() {
        assertEquals(Optional.empty(), SinkOffsetKeys.parseOffsetKey(bytes("\0\0slatedb.connect\0offsets/t/")));
        assertEquals(Optional.empty(), SinkOffsetKeys.parseOffsetKey(bytes("\0\0slatedb.connect\0offsets/t/x")));
        assertEquals(Optional.empty(), SinkOffsetKeys.parseOffsetKey(bytes("\0\0slatedb.connect\0offsets/t/-1")));
        assertEquals(Optional.empty(), SinkOffsetKeys.parseOffsetKey(bytes("\0\0slatedb.connect\0offsets//3")));
    }

    @Test
    void offsetsRoundTripAsEightBigEndianBytes() {
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, SinkOffsetKeys.encodeOffset(256));
        assertEquals(Long.MAX_VALUE, SinkOffsetKeys.decodeOffset(SinkOffsetKeys.encodeOffset(Long.MAX_VALUE)));
        assertEquals(0, SinkOffsetKeys.decodeOffset(SinkOffsetKeys.encodeOffset(0)));
    }

    @Test
    void badArgumentsAndValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SinkOffsetKeys.offsetKey("a/b", 0));
        assertThrows(IllegalArgumentException.class, () -> SinkOffsetKeys.offsetKey("", 0));
        assertThrows(IllegalArgumentException.class, () -> SinkOffsetKeys.offsetKey("t", -1));
        assertThrows(IllegalArgumentException.class, () -> SinkOffsetKeys.encodeOffset(-1));
        assertThrows(IllegalArgumentException.class, () -> SinkOffsetKeys.decodeOffset(new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> SinkOffsetKeys.decodeOffset(null));
        assertThrows(IllegalArgumentException.class,
                () -> SinkOffsetKeys.decodeOffset(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0}));
    }

    @Test
    void theReservedPrefixIsACopy() {
        byte[] prefix = SinkOffsetKeys.reservedPrefix();
        prefix[0] = 7;
        assertEquals(0, SinkOffsetKeys.reservedPrefix()[0]);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
