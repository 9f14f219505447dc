package io.slatedb;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TtlTest {
    private static final OptionalLong NO_DEFAULT = OptionalLong.empty();

    @Test
    void defaultUsesTheDatabaseDefaultOrNothing() {
        assertEquals(OptionalLong.empty(), Ttl.DEFAULT.expireTs(1_000, NO_DEFAULT));
        assertEquals(OptionalLong.of(1_500), Ttl.DEFAULT.expireTs(1_000, OptionalLong.of(500)));
        assertEquals(OptionalLong.of(1_000), Ttl.DEFAULT.expireTs(1_000, OptionalLong.of(0)));
        assertThrows(IllegalArgumentException.class, () -> Ttl.DEFAULT.expireTs(1_000, OptionalLong.of(-1)));
    }

    @Test
    void noExpiryIgnoresTheDefault() {
        assertEquals(OptionalLong.empty(), Ttl.NO_EXPIRY.expireTs(1_000, OptionalLong.of(500)));
    }

    @Test
    void expireAfterAddsToTheCreationTimeInMillis() {
        assertEquals(OptionalLong.of(1_250), Ttl.expireAfter(Duration.ofMillis(250)).expireTs(1_000, OptionalLong.of(7)));
        assertEquals(OptionalLong.of(1_000), Ttl.expireAfter(Duration.ofNanos(999_999)).expireTs(1_000, NO_DEFAULT));
        assertEquals(OptionalLong.of(61_000), Ttl.expireAfter(Duration.ofMinutes(1)).expireTs(1_000, NO_DEFAULT));
        assertThrows(SlateDbException.class, () -> Ttl.expireAfter(Duration.ofMillis(-1)));
    }

    @Test
    void expireAtIsAbsolute() {
        Ttl at = Ttl.expireAt(Instant.ofEpochMilli(42));
        assertEquals(OptionalLong.of(42), at.expireTs(1_000, OptionalLong.of(5)));
        assertEquals(new Ttl.ExpireAt(42), at);
        SlateDbException e = assertThrows(SlateDbException.class, () -> Ttl.expireAt(Instant.MAX));
        assertEquals(ErrorKind.INVALID, e.kind());
    }

    @Test
    void overflowMeansNoExpiry() {
        assertEquals(OptionalLong.of(Long.MAX_VALUE), Ttl.DEFAULT.expireTs(Long.MAX_VALUE - 1, OptionalLong.of(1)));
        assertEquals(OptionalLong.empty(), Ttl.DEFAULT.expireTs(Long.MAX_VALUE, OptionalLong.of(1)));
        assertEquals(OptionalLong.empty(), Ttl.DEFAULT.expireTs(1, OptionalLong.of(Long.MAX_VALUE)));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), Ttl.DEFAULT.expireTs(0, OptionalLong.of(Long.MAX_VALUE)));
        assertEquals(OptionalLong.empty(), Ttl.expireAfter(Duration.ofMillis(Long.MAX_VALUE)).expireTs(1, NO_DEFAULT));
        // More milliseconds than a long holds: SlateDB's "ttl > i64::MAX" case.
        assertEquals(OptionalLong.empty(),
                Ttl.expireAfter(Duration.ofSeconds(Long.MAX_VALUE)).expireTs(Long.MIN_VALUE, NO_DEFAULT));
    }

    @Property(tries = 1000)
    void relativeTtlMatchesExactArithmetic(@ForAll long createTs,
                                           @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long ttl) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            BigInteger sum = BigInteger.valueOf(createTs).add(BigInteger.valueOf(ttl));
            OptionalLong expected = sum.bitLength() < 64 ? OptionalLong.of(sum.longValueExact()) : OptionalLong.empty();
            assertEquals(expected, Ttl.DEFAULT.expireTs(createTs, OptionalLong.of(ttl)));
            assertEquals(expected, Ttl.expireAfter(Duration.ofMillis(ttl)).expireTs(createTs, NO_DEFAULT));
            assertEquals(expected, PutOptions.DEFAULT.expireTs(createTs, OptionalLong.of(ttl)));
        });
    }
}
