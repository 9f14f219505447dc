package io.slatedb.util;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void parsesSlateDbStyleDurations() {
        assertEquals(Duration.ofMillis(100), Durations.parse("100ms"));
        assertEquals(Duration.ofSeconds(1), Durations.parse("1s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5min"));
        assertEquals(Duration.ofDays(7).plusMinutes(30), Durations.parse("7days 30min"));
        assertEquals(Duration.ofHours(1).plusMinutes(30), Durations.parse("1h30m"));
        assertEquals(Duration.ofNanos(1500), Durations.parse("1us 500ns"));
        assertEquals(Duration.ofSeconds(0), Durations.parse("0s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse(" 10 S "));
    }

    @Test
    void rejectsBadDurationsNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("100"))
                .getMessage().contains("100"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 parsecs"))
                .getMessage().contains("unknown unit 'parsecs'"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1.5s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999999999s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("9223372036854775807d"));
    }

    @Property
    void formatReadsBack(@ForAll @LongRange(min = 0, max = 10_000_000) long seconds,
                         @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Duration d = Duration.ofSeconds(seconds, nanos);
        assertEquals(d, Durations.parse(Durations.format(d)));
    }
}
