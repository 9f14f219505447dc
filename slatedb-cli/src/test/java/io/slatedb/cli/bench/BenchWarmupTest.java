package io.slatedb.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --warmup}: a count of reads or a time, and when each ends. */
@Timeout(10)
class BenchWarmupTest {

    @Test
    void aCountEndsAfterThatManyReads() {
        BenchWarmup warmup = BenchWarmup.parse("1000");
        assertEquals(new BenchWarmup(1000, Duration.ZERO), warmup);
        assertTrue(warmup.goesOn(999, 0, Long.MAX_VALUE), "a count does not look at the clock");
        assertFalse(warmup.goesOn(1000, 0, 0));
        assertEquals("1000 untimed reads", warmup.describe());
    }

    @Test
    void aTimeEndsWhenItHasPassed() {
        BenchWarmup warmup = BenchWarmup.parse("2s");
        assertEquals(new BenchWarmup(0, Duration.ofSeconds(2)), warmup);
        assertTrue(warmup.goesOn(Long.MAX_VALUE, 100, 100 + 1_999_999_999L), "a time does not count reads");
        assertFalse(warmup.goesOn(0, 100, 100 + 2_000_000_000L));
        assertEquals("2s of untimed reads", warmup.describe());
        assertEquals(Duration.ofMillis(500), BenchWarmup.parse("500ms").time());
    }

    @Test
    void aCountWithATimeEndsAtWhicheverComesFirst() {
        BenchWarmup warmup = BenchWarmup.parse("1000000,5s");
        assertEquals(new BenchWarmup(1_000_000, Duration.ofSeconds(5)), warmup);
        assertTrue(warmup.goesOn(999_999, 0, 4_999_999_999L));
        assertFalse(warmup.goesOn(1_000_000, 0, 1), "the count is reached");
        assertFalse(warmup.goesOn(10, 0, 5_000_000_000L), "the time is up");
        assertEquals("1000000 untimed reads (at most 5s)", warmup.describe());
        assertEquals(new BenchWarmup(20, Duration.ofMillis(300)), BenchWarmup.parse(" 20 , 300ms "));
    }

    @Test
    void zeroIsNoWarmup() {
        assertTrue(BenchWarmup.parse("0").isNone());
        assertTrue(BenchWarmup.parse("0s").isNone());
        assertFalse(BenchWarmup.parse("0").goesOn(0, 0, 0));
        assertFalse(BenchWarmup.parse("0s").goesOn(0, 0, 0));
    }

    @Test
    void badValuesSayWhatIsWrong() {
        assertEquals("must not be negative",
                assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse("-5")).getMessage());
        assertEquals("count 99999999999999999999 is too large",
                assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse("99999999999999999999")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse("soon"));
        assertEquals("count 'many' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse("many,5s")).getMessage());
        assertEquals("with a count and a time needs both above 0",
                assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse("0,5s")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchWarmup.parse(""));
    }
}
