package io.slatedb.sst;

import io.slatedb.format.FormatException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(5)
class SstIndexTest {

    @Test
    void separatorsAreTheCommonPrefixPlusOneByteOrTheWholeKey() {
        assertArrayEquals(ascii("user:s"), IndexSeparators.between(ascii("user:hot"), ascii("user:s54ab")));
        assertArrayEquals(ascii("key000085"), IndexSeparators.between(ascii("key000084"), ascii("key000085")));
        assertArrayEquals(ascii("user:hot"), IndexSeparators.between(ascii("user:hot"), ascii("user:hot")));
        assertArrayEquals(ascii("abc"), IndexSeparators.between(ascii("ab"), ascii("abcdef")));
        assertArrayEquals(ascii("b"), IndexSeparators.between(ascii("azzz"), ascii("bcd")));
        assertArrayEquals(ascii("a"), IndexSeparators.between(new byte[0], ascii("abc")));
        assertThrows(IllegalArgumentException.class, () -> IndexSeparators.between(ascii("abc"), ascii("ab")));
    }

    @Test
    void lookupStartsOneBlockBeforeTheFirstSeparatorNotBelowTheKey() {
        SstIndex index = new SstIndex(List.of(new BlockMeta(0, new byte[0]), new BlockMeta(100, ascii("d")),
                new BlockMeta(200, ascii("hot")), new BlockMeta(300, ascii("hot")), new BlockMeta(400, ascii("m"))));
        assertEquals(0, index.startBlockFor(new byte[0]));
        assertEquals(0, index.startBlockFor(ascii("a")));
        assertEquals(0, index.startBlockFor(ascii("d")));
        assertEquals(1, index.startBlockFor(ascii("da")));
        // Versions of "hot" may start at the end of block 1 and continue through blocks 2 and 3.
        assertEquals(1, index.startBlockFor(ascii("hot")));
        assertEquals(3, index.startBlockFor(ascii("hotter")));
        assertEquals(4, index.startBlockFor(ascii("z")));
        assertEquals(4, index.endBlockFor(ascii("hot"), true, 1));
        assertEquals(2, index.endBlockFor(ascii("hot"), false, 1));
        assertEquals(5, index.endBlockFor(ascii("z"), true, 0));
    }

    @Provide
    Arbitrary<List<byte[]>> sortedKeys() {
        // Keys from a tiny alphabet behind a shared prefix, so lookups meet ties, prefixes and padding.
        Arbitrary<byte[]> tail = Arbitraries.bytes().between((byte) 0, (byte) 2).array(byte[].class).ofMaxSize(12);
        return Arbitraries.of("", "k", "key-0000").flatMap(prefix -> tail.map(t -> {
            byte[] key = Arrays.copyOf(ascii(prefix), prefix.length() + t.length);
            System.arraycopy(t, 0, key, prefix.length(), t.length);
            return key;
        }).list().ofMaxSize(40)).map(keys -> {
            List<byte[]> sorted = new ArrayList<>(keys);
            sorted.sort(Arrays::compareUnsigned);
            return sorted;
        });
    }

    /** The first block that can hold {@code key}, counted the plain way. */
    private static int startBlockByCounting(List<byte[]> keys, byte[] key) {
        int below = 0;
        for (byte[] indexKey : keys) {
            if (Arrays.compareUnsigned(indexKey, key) < 0) {
                below++;
            }
        }
        return Math.max(below - 1, 0);
    }

    @Property(tries = 300)
    void lookupAgreesWithCountingTheKeysBelow(@ForAll("sortedKeys") List<byte[]> keys, @ForAll boolean emptyFirst,
                                             @ForAll byte[] probe) {
        List<byte[]> indexKeys = new ArrayList<>(keys);
        if (emptyFirst && !indexKeys.isEmpty()) {
            indexKeys.set(0, new byte[0]);
        }
        List<BlockMeta> blocks = new ArrayList<>();
        for (int i = 0; i < indexKeys.size(); i++) {
            blocks.add(new BlockMeta(100L * i, indexKeys.get(i)));
        }
        SstIndex index = new SstIndex(blocks);
        List<byte[]> probes = new ArrayList<>(List.of(probe, new byte[0], ascii("key-0000"), ascii("z")));
        for (byte[] key : indexKeys) {
            probes.add(key);
            probes.add(Arrays.copyOf(key, key.length + 1));
            if (key.length > 0) {
                probes.add(Arrays.copyOf(key, key.length - 1));
                byte[] bumped = key.clone();
                bumped[bumped.length - 1]++;
                probes.add(bumped);
            }
        }
        for (byte[] key : probes) {
            assertEquals(startBlockByCounting(indexKeys, key), index.startBlockFor(key), () -> Arrays.toString(key));
            for (int from = -1; from <= indexKeys.size(); from++) {
                for (boolean inclusive : new boolean[] {true, false}) {
                    int f = from;
                    assertEquals(endBlockByScanning(indexKeys, key, inclusive, from), index.endBlockFor(key, inclusive, from),
                            () -> Arrays.toString(key) + " from " + f + " inclusive " + inclusive);
                }
            }
        }
    }

    /** The first block after {@code from} (and after 0) whose index key is above {@code key} (or at it, exclusive). */
    private static int endBlockByScanning(List<byte[]> indexKeys, byte[] key, boolean inclusive, int from) {
        for (int i = Math.max(from + 1, 1); i < indexKeys.size(); i++) {
            int cmp = Arrays.compareUnsigned(indexKeys.get(i), key);
            if (inclusive ? cmp > 0 : cmp >= 0) {
                return i;
            }
        }
        return indexKeys.size();
    }

    @Test
    void roundTripsThroughFlatBuffers() {
        SstIndex index = new SstIndex(List.of(new BlockMeta(0, new byte[0]), new BlockMeta(4067, ascii("key000085")),
                new BlockMeta(1L << 40, new byte[] {(byte) 0xff})));
        assertEquals(index, SstIndex.decode(index.encode()));
        SstIndex empty = new SstIndex(List.of());
        assertEquals(empty, SstIndex.decode(empty.encode()));
    }

    @Test
    void garbageIsAFormatError() {
        assertThrows(FormatException.class, () -> SstIndex.decode(new byte[3]));
        assertThrows(FormatException.class, () -> SstIndex.decode(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0}));
        byte[] encoded = new SstIndex(List.of(new BlockMeta(5, ascii("abc")))).encode();
        for (int cut = 0; cut < encoded.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(encoded, cut);
            try {
                SstIndex.decode(truncated);
            } catch (FormatException expected) {
                // the one allowed failure
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
