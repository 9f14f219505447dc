package io.slatedb;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyValueTest {

    private static KeyValue kv(String key, String value, long seq, long createTs, OptionalLong expireTs) {
        return new KeyValue(key.getBytes(), value.getBytes(), seq, createTs, expireTs);
    }

    @Test
    void equalityIsByContent() {
        KeyValue a = kv("k", "v", 7, 100, OptionalLong.of(200));
        KeyValue b = kv("k", "v", 7, 100, OptionalLong.of(200));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, kv("k2", "v", 7, 100, OptionalLong.of(200)));
        assertNotEquals(a, kv("k", "v2", 7, 100, OptionalLong.of(200)));
        assertNotEquals(a, kv("k", "v", 8, 100, OptionalLong.of(200)));
        assertNotEquals(a, kv("k", "v", 7, 101, OptionalLong.of(200)));
        assertNotEquals(a, kv("k", "v", 7, 100, OptionalLong.empty()));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] key = {1, 2};
        byte[] value = {3, 4};
        KeyValue kv = new KeyValue(key, value, 1, 2, OptionalLong.empty());
        key[0] = 9;
        value[0] = 9;
        assertArrayEquals(new byte[] {1, 2}, kv.key());
        assertArrayEquals(new byte[] {3, 4}, kv.value());
        kv.key()[1] = 9;
        kv.value()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, kv.key());
        assertArrayEquals(new byte[] {3, 4}, kv.value());
    }

    @Test
    void toStringShowsTextOrHexAndTheMetadata() {
        assertEquals("KeyValue[key=\"user:1\", value=0x00ff, seq=18446744073709551615, createTs=5, expireTs=none]",
                new KeyValue("user:1".getBytes(), new byte[] {0, (byte) 0xff}, -1, 5, OptionalLong.empty()).toString());
        assertEquals("KeyValue[key=\"a\", value=\"b\", seq=1, createTs=2, expireTs=3]",
                kv("a", "b", 1, 2, OptionalLong.of(3)).toString());
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> new KeyValue(null, new byte[0], 1, 1, OptionalLong.empty()));
        assertThrows(NullPointerException.class, () -> new KeyValue(new byte[1], null, 1, 1, OptionalLong.empty()));
        assertThrows(NullPointerException.class, () -> new KeyValue(new byte[1], new byte[0], 1, 1, null));
    }
}
