package io.slatedb.format;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UlidTest {

    @Test
    void printsAndParsesSlateDbSstNames() {
        // The id and name of an SST SlateDB 0.12.1 wrote (Ulid{high, low} from its manifest, name from its object).
        Ulid ulid = new Ulid(117658193995052181L, Long.parseUnsignedLong("13111455728157689485"));
        assertEquals("01M80R22FX6JAVBX9ZGHPHK1MD", ulid.toString());
        assertEquals(ulid, Ulid.parse("01M80R22FX6JAVBX9ZGHPHK1MD"));
        assertEquals(117658193995052181L >>> 16, ulid.timestampMillis());
    }

    @Test
    void extremesPrintAsTheSpecDefines() {
        assertEquals("00000000000000000000000000", new Ulid(0, 0).toString());
        assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", new Ulid(-1, -1).toString());
        assertEquals(new Ulid(-1, -1), Ulid.parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertEquals(Ulid.MAX_TIMESTAMP_MILLIS, new Ulid(-1, -1).timestampMillis());
    }

    @Test
    void parsingAcceptsLowerCaseAndRejectsWhatIsNotAUlid() {
        assertEquals(Ulid.parse("01M80R22FX6JAVBX9ZGHPHK1MD"), Ulid.parse("01m80r22fx6javbx9zghphk1md"));
        for (String bad : List.of("", "01M80R22FX6JAVBX9ZGHPHK1M", "01M80R22FX6JAVBX9ZGHPHK1MDX",
                "80000000000000000000000000", "01M80R22FX6JAVBX9ZGHPHK1MI", "01M80R22FX6JAVBX9ZGHPHK1ML",
                "01M80R22FX6JAVBX9ZGHPHK1MO", "01M80R22FX6JAVBX9ZGHPHK1MU", "01M80R22FX6JAVBX9ZGHPHK1M-",
                "01M80R22FX6JAVBX9ZGHPHK1Mé")) {
            assertThrows(IllegalArgumentException.class, () -> Ulid.parse(bad), bad);
        }
    }

    @Property
    void textFormRoundTripsAndIsTheBase32OfThe128BitValue(@ForAll long high, @ForAll long low) {
        Ulid ulid = new Ulid(high, low);
        String text = ulid.toString();
        assertEquals(26, text.length());
        assertEquals(ulid, Ulid.parse(text));
        BigInteger value = new BigInteger(Long.toUnsignedString(high)).shiftLeft(64)
                .or(new BigInteger(Long.toUnsignedString(low)));
        assertEquals(value, decodeCrockford(text));
    }

    @Property
    void ordersAsUnsigned128BitValuesAndAsText(@ForAll("ulids") Ulid a, @ForAll("ulids") Ulid b) {
        BigInteger va = decodeCrockford(a.toString());
        BigInteger vb = decodeCrockford(b.toString());
        assertEquals(Integer.signum(va.compareTo(vb)), Integer.signum(a.compareTo(b)));
        assertEquals(Integer.signum(a.toString().compareTo(b.toString())), Integer.signum(a.compareTo(b)));
    }

    @Provide
    Arbitrary<Ulid> ulids() {
        Arbitrary<Long> halves = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        return halves.tuple2().map(t -> new Ulid(t.get1(), t.get2()));
    }

    @Test
    void ofPlacesTimeAndRandomBits() {
        Ulid ulid = Ulid.of(0x0123_4567_89ABL, 0xCDEF, 0x1122_3344_5566_7788L);
        assertEquals(0x0123_4567_89ABL, ulid.timestampMillis());
        assertEquals(0x0123_4567_89AB_CDEFL, ulid.high());
        assertEquals(0x1122_3344_5566_7788L, ulid.low());
        assertThrows(IllegalArgumentException.class, () -> Ulid.of(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ulid.of(Ulid.MAX_TIMESTAMP_MILLIS + 1, 0, 0));
    }

    @Test
    void incrementCarriesIntoTheHighHalfAndRefusesToChangeTheTime() {
        assertEquals(new Ulid(0x10001, 0), new Ulid(0x10000, -1).increment());
        assertThrows(IllegalStateException.class, () -> new Ulid(0x1FFFF, -1).increment());
    }

    @Test
    void generatorUsesTheClockAndIsStrictlyMonotonicWithinAMillisecondAndWhenTheClockStepsBack() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        UlidGenerator generator = new UlidGenerator(clock, new SplittableRandom(7));
        List<Ulid> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(generator.next());
        }
        now.addAndGet(-5);
        ids.add(generator.next());
        now.addAndGet(10);
        Ulid later = generator.next();
        ids.add(later);
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, "ids must increase at " + i);
        }
        assertEquals(1_700_000_000_000L, ids.get(999).timestampMillis());
        assertEquals(1_700_000_000_000L, ids.get(1000).timestampMillis());
        assertEquals(1_700_000_000_005L, later.timestampMillis());
        assertEquals(ids.get(0).increment(), ids.get(1));
    }

    private static BigInteger decodeCrockford(String text) {
        String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        BigInteger value = BigInteger.ZERO;
        for (char c : text.toCharArray()) {
            value = value.shiftLeft(5).or(BigInteger.valueOf(alphabet.indexOf(c)));
        }
        return value;
    }
}
