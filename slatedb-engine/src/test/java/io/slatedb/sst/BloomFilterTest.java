package io.slatedb.sst;

import io.slatedb.format.ByteSink;
import io.slatedb.format.FormatException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BloomFilterTest {

    @Property(tries = 100)
    void neverRulesOutAKeyItWasBuiltFrom(@ForAll @Size(max = 300) List<byte[]> keys,
                                         @ForAll @IntRange(min = 1, max = 20) int bitsPerKey) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            BloomFilterBuilder builder = new BloomFilterBuilder(bitsPerKey);
            keys.forEach(builder::addKey);
            BloomFilter filter = BloomFilter.decode(builder.build().encode());
            for (byte[] key : keys) {
                assertTrue(filter.mightContain(key));
            }
        });
    }

    @Test
    @Timeout(10)
    void tenBitsPerKeyGiveAboutOnePercentFalsePositives() {
        BloomFilterBuilder builder = new BloomFilterBuilder(10);
        int keys = 5000;
        for (int i = 0; i < keys; i++) {
            builder.addKey(("present-" + i).getBytes(StandardCharsets.UTF_8));
        }
        BloomFilter filter = builder.build();
        int falsePositives = 0;
        int probes = 50_000;
        for (int i = 0; i < probes; i++) {
            if (filter.mightContain(("absent-" + i).getBytes(StandardCharsets.UTF_8))) {
                falsePositives++;
            }
        }
        double rate = (double) falsePositives / probes;
        // Theory for 10 bits per key and 6 probes: about 0.84%.
        assertTrue(rate > 0.003 && rate < 0.02, "false positive rate " + rate);
    }

    @Test
    @Timeout(5)
    void sizeAndProbesFollowSlateDb() {
        assertEquals(6, BloomFilterBuilder.numProbes(10));
        assertEquals(0, BloomFilterBuilder.numProbes(1));
        assertEquals(69, BloomFilterBuilder.numProbes(100));
        BloomFilterBuilder builder = new BloomFilterBuilder(10);
        for (int i = 0; i < 3005; i++) {
            builder.addKey(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        BloomFilter filter = builder.build();
        assertEquals(3757, filter.sizeInBytes(), "ceil(3005 * 10 / 8)");
        assertEquals(6, filter.numProbes());
    }

    @Test
    @Timeout(5)
    void probesFollowEnhancedDoubleHashing() {
        // Rust's test_compute_probes: hash 0xDF77EF56DEADBEEF, 7 probes, 1,000,000 bits.
        long hash = 0xDF77EF56DEADBEEFL;
        long[] expected = {928559, 107781, 287004, 466229, 645457, 824689, 3926};
        byte[] bits = new byte[1_000_000 / 8];
        BloomFilter.setBits(bits, 7, hash);
        Set<Long> set = new HashSet<>();
        for (int b = 0; b < bits.length * 8; b++) {
            if ((bits[b / 8] & (1 << (b % 8))) != 0) {
                set.add((long) b);
            }
        }
        assertEquals(Set.of(928559L, 107781L, 287004L, 466229L, 645457L, 824689L, 3926L), set);
        BloomFilter filter = new BloomFilter(7, bits);
        assertTrue(filter.mightContainHash(hash));
        assertEquals(expected.length, set.size());
    }

    @Test
    @Timeout(5)
    void bitsAreLeastSignificantFirst() {
        // A hash whose first probe lands on bit 3 of byte 0 in a 16-bit filter: low32 % 16 = 3.
        byte[] bits = new byte[2];
        BloomFilter.setBits(bits, 1, 3L);
        assertArrayEquals(new byte[] {0x08, 0x00}, bits);
    }

    @Test
    @Timeout(5)
    void anEmptyFilterRulesNothingOut() {
        BloomFilter empty = new BloomFilterBuilder(10).build();
        assertEquals(0, empty.sizeInBytes());
        assertTrue(BloomFilter.decode(empty.encode()).mightContain(new byte[] {1}));
        assertThrows(FormatException.class, () -> BloomFilter.decode(new byte[1]));
    }

    @Test
    @Timeout(5)
    void legacyAndCompositeFilterBlocksRoundTrip() {
        BloomFilterBuilder builder = new BloomFilterBuilder(10);
        builder.addKey(new byte[] {42});
        BloomFilter filter = builder.build();
        assertArrayEquals(filter.encode(), FilterBlock.encode(FilterFormat.LEGACY, filter));
        byte[] composite = FilterBlock.encode(FilterFormat.COMPOSITE, filter);
        byte[] expected = new ByteSink().writeU16(1).writeU16(3).write("_bf".getBytes(StandardCharsets.UTF_8))
                .writeU64(filter.encode().length).write(filter.encode()).toByteArray();
        assertArrayEquals(expected, composite);
        for (FilterFormat format : FilterFormat.values()) {
            Optional<BloomFilter> decoded = FilterBlock.decode(format, FilterBlock.encode(format, filter));
            assertArrayEquals(filter.encode(), decoded.orElseThrow().encode());
        }
    }

    @Test
    @Timeout(5)
    void compositeBlocksSkipUnknownPoliciesAndPrefixFilters() {
        BloomFilterBuilder builder = new BloomFilterBuilder(10);
        builder.addKey(new byte[] {7});
        byte[] bloom = builder.build().encode();
        byte[] onlyUnknown = new ByteSink().writeU16(2)
                .writeU16(8).write("_bf:wh=0".getBytes(StandardCharsets.UTF_8)).writeU64(bloom.length).write(bloom)
                .writeU16(6).write("custom".getBytes(StandardCharsets.UTF_8)).writeU64(3).write(new byte[3])
                .toByteArray();
        assertEquals(Optional.empty(), FilterBlock.decode(FilterFormat.COMPOSITE, onlyUnknown));
        byte[] knownSecond = new ByteSink().writeU16(2)
                .writeU16(6).write("custom".getBytes(StandardCharsets.UTF_8)).writeU64(3).write(new byte[3])
                .writeU16(3).write("_bf".getBytes(StandardCharsets.UTF_8)).writeU64(bloom.length).write(bloom)
                .toByteArray();
        assertArrayEquals(bloom, FilterBlock.decode(FilterFormat.COMPOSITE, knownSecond).orElseThrow().encode());
    }

    @Test
    @Timeout(5)
    void malformedCompositeBlocksAreFormatErrors() {
        byte[] overlong = new ByteSink().writeU16(1).writeU16(3).write("_bf".getBytes(StandardCharsets.UTF_8))
                .writeU64(1000).write(new byte[4]).toByteArray();
        assertThrows(FormatException.class, () -> FilterBlock.decode(FilterFormat.COMPOSITE, overlong));
        byte[] huge = new ByteSink().writeU16(1).writeU16(1).write(new byte[] {'x'}).writeU64(-1L).toByteArray();
        assertThrows(FormatException.class, () -> FilterBlock.decode(FilterFormat.COMPOSITE, huge));
        byte[] trailing = new ByteSink().writeU16(0).writeU8(1).toByteArray();
        assertThrows(FormatException.class, () -> FilterBlock.decode(FilterFormat.COMPOSITE, trailing));
        assertThrows(FormatException.class, () -> FilterBlock.decode(FilterFormat.COMPOSITE, new byte[1]));
        assertFalse(FilterBlock.decode(FilterFormat.COMPOSITE, new byte[2]).isPresent());
    }
}
