package io.slatedb.sst;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRangeTest {
    private static final byte[] ALPHABET = {0x00, 0x61, (byte) 0xFF};
    /** Every key of up to 3 bytes over the alphabet, the empty key included. */
    private static final List<byte[]> KEYS = keys();

    private static List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        keys.add(new byte[0]);
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            if (key.length < 3) {
                for (byte b : ALPHABET) {
                    byte[] longer = Arrays.copyOf(key, key.length + 1);
                    longer[key.length] = b;
                    keys.add(longer);
                }
            }
        }
        return List.copyOf(keys);
    }

    @Provide
    Arbitrary<KeyRange> ranges() {
        Arbitrary<byte[]> bound = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)),
                net.jqwik.api.Tuple.of(6, Arbitraries.of(KEYS)));
        return Combinators.combine(bound, Arbitraries.of(true, false), bound, Arbitraries.of(true, false))
                .as(KeyRange::new);
    }

    @Property(tries = 500)
    void anIntersectionHoldsTheKeysOfBoth(@ForAll("ranges") KeyRange a, @ForAll("ranges") KeyRange b) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            KeyRange both = a.intersect(b);
            for (byte[] key : KEYS) {
                assertEquals(a.contains(key) && b.contains(key), both.contains(key));
            }
        });
    }

    @Property(tries = 500)
    void aRangeIsEmptyExactlyWhenItHoldsNoKey(@ForAll("ranges") KeyRange range) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            // The smallest key a range can hold is its start, the start followed by 0x00, or the empty key.
            List<byte[]> witnesses = new ArrayList<>(List.of(new byte[0]));
            if (range.start() != null) {
                witnesses.add(range.start());
                witnesses.add(Arrays.copyOf(range.start(), range.start().length + 1));
            }
            boolean holdsAKey = witnesses.stream().anyMatch(range::contains);
            assertEquals(!holdsAKey, range.isEmpty(), range::toString);
            if (range.isEmpty()) {
                assertTrue(KEYS.stream().noneMatch(range::contains));
            }
        });
    }

    @Property(tries = 200)
    void aPrefixRangeHoldsExactlyTheKeysWithThePrefix(@ForAll("ranges") KeyRange any) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            byte[] prefix = any.start() == null ? new byte[0] : any.start();
            KeyRange range = KeyRange.prefix(prefix);
            for (byte[] key : KEYS) {
                boolean hasPrefix = key.length >= prefix.length
                        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
                assertEquals(hasPrefix, range.contains(key), () -> range + " and " + Arrays.toString(key));
            }
        });
    }

    @Test
    void prefixesEndingInFfSkipToTheNextShorterPrefix() {
        assertEquals(new KeyRange(new byte[] {1, (byte) 0xFF}, true, new byte[] {2}, false),
                KeyRange.prefix(new byte[] {1, (byte) 0xFF}));
        assertEquals(new KeyRange(new byte[] {(byte) 0xFF}, true, null, false), KeyRange.prefix(new byte[] {(byte) 0xFF}));
        assertEquals(KeyRange.all(), KeyRange.prefix(new byte[0]));
        assertFalse(KeyRange.prefix(new byte[] {5}).isEmpty());
    }
}
