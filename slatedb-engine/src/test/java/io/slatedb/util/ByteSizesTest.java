package io.slatedb.util;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteSizesTest {

    @Test
    void parsesPlainCountsAndBinaryUnits() {
        assertEquals(67_108_864L, ByteSizes.parse("67108864"));
        assertEquals(0L, ByteSizes.parse("0"));
        assertEquals(12L, ByteSizes.parse("12B"));
        assertEquals(4096L, ByteSizes.parse("4KiB"));
        assertEquals(64L << 20, ByteSizes.parse("64MiB"));
        assertEquals(1L << 30, ByteSizes.parse("1 GiB"));
        assertEquals(2L << 40, ByteSizes.parse("2TiB"));
        assertEquals(4096L, ByteSizes.parse(" 4kib "));
        assertEquals(64L << 20, ByteSizes.parse("64MIB"));
    }

    @Test
    void rejectsDecimalUnitsFractionsSignsAndOverflow() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("64MB"))
                .getMessage().contains("unknown unit 'mb'"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("1.5GiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(""));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("MiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("9223372036854775808"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("8388608TiB"));
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertEquals("64MiB", ByteSizes.format(64L << 20));
        assertEquals("1GiB", ByteSizes.format(1L << 30));
        assertEquals("1025", ByteSizes.format(1025));
        assertEquals("0", ByteSizes.format(0));
        assertEquals("3KiB", ByteSizes.format(3072));
    }

    @Property(tries = 500)
    void formatReadsBack(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertEquals(bytes, ByteSizes.parse(ByteSizes.format(bytes))));
    }
}
