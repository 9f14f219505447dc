package io.slatedb.sst;

import io.slatedb.format.BigEndian;
import io.slatedb.format.ByteSink;
import io.slatedb.format.FormatException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockTest {

    @Provide
    Arbitrary<List<RowEntry>> sortedRows() {
        return RowArbitraries.compactedRows(120);
    }

    @Provide
    Arbitrary<byte[]> probes() {
        return RowArbitraries.keys(0);
    }

    /** Cuts {@code rows} into V2 blocks the way the SST builder does. */
    static List<byte[]> buildBlocks(List<RowEntry> rows, int targetSize) {
        List<byte[]> blocks = new ArrayList<>();
        BlockBuilder builder = new BlockBuilder(targetSize);
        for (RowEntry row : rows) {
            if (!builder.add(row)) {
                blocks.add(builder.build());
                builder = new BlockBuilder(targetSize);
                assertTrue(builder.add(row), "an empty block takes any row");
            }
        }
        if (!builder.isEmpty()) {
            blocks.add(builder.build());
        }
        return blocks;
    }

    static List<RowEntry> readAll(Block block) {
        List<RowEntry> rows = new ArrayList<>();
        block.iterator().forEachRemaining(rows::add);
        return rows;
    }

    @Property(tries = 150)
    void v2BlocksRoundTripAndRespectTheTargetSize(@ForAll("sortedRows") List<RowEntry> rows,
                                                  @ForAll @IntRange(min = 64, max = 8192) int targetSize) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            List<RowEntry> decoded = new ArrayList<>();
            for (byte[] encoded : buildBlocks(rows, targetSize)) {
                Block block = Block.decode(BlockFormat.V2, encoded);
                List<RowEntry> blockRows = readAll(block);
                assertTrue(encoded.length <= targetSize || blockRows.size() == 1,
                        "a block exceeds its target only to hold one oversized row");
                decoded.addAll(blockRows);
            }
            assertEquals(rows, decoded);
        });
    }

    @Property(tries = 150)
    void v2SeekFindsTheFirstRowAtOrAboveTheKey(@ForAll("sortedRows") List<RowEntry> rows,
                                               @ForAll("probes") byte[] probe) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            if (rows.isEmpty()) {
                return;
            }
            byte[] encoded = buildBlocks(rows, 65536).get(0);
            Block block = Block.decode(BlockFormat.V2, encoded);
            List<RowEntry> inBlock = readAll(block);
            List<byte[]> probesToTry = new ArrayList<>(List.of(probe));
            inBlock.forEach(r -> probesToTry.add(r.key()));
            for (byte[] key : probesToTry) {
                BlockIterator it = block.iterator();
                it.seek(key);
                List<RowEntry> rest = new ArrayList<>();
                it.forEachRemaining(rest::add);
                List<RowEntry> expected = inBlock.stream().filter(r -> Arrays.compareUnsigned(r.key(), key) >= 0).toList();
                assertEquals(expected, rest);
            }
        });
    }

    @Property(tries = 150)
    void v1BlocksDecodeAndSeek(@ForAll("sortedRows") List<RowEntry> rows, @ForAll("probes") byte[] probe) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            // Version-1 offsets are u16: keep the block well under 64 KiB.
            List<RowEntry> fitting = rows.stream().filter(r -> r.key().length < 300 && r.valueLength() <= 1000)
                    .limit(40).toList();
            if (fitting.isEmpty()) {
                return;
            }
            Block block = Block.decode(BlockFormat.V1, v1Block(fitting));
            List<RowEntry> expected = fitting.stream().map(BlockTest::asVersion1Reads).toList();
            assertEquals(expected, readAll(block));
            BlockIterator it = block.iterator();
            it.seek(probe);
            List<RowEntry> rest = new ArrayList<>();
            it.forEachRemaining(rest::add);
            assertEquals(expected.stream().filter(r -> Arrays.compareUnsigned(r.key(), probe) >= 0).toList(), rest);
        });
    }

    /** A version-1 block built by hand: V0 rows sharing prefixes with the first key, an offset per row, the count. */
    static byte[] v1Block(List<RowEntry> rows) {
        ByteSink data = new ByteSink();
        List<Integer> offsets = new ArrayList<>();
        byte[] first = rows.get(0).key();
        for (RowEntry row : rows) {
            if (data.size() > 0xffff) {
                throw new IllegalArgumentException("rows do not fit in a version-1 block");
            }
            offsets.add(data.size());
            int mismatch = Arrays.mismatch(first, row.key());
            int prefix = offsets.size() == 1 ? 0 : (mismatch < 0 ? row.key().length : Math.min(mismatch, row.key().length));
            RowCodecV0.encode(data, prefix, row);
        }
        offsets.forEach(data::writeU16);
        data.writeU16(offsets.size());
        return data.toByteArray();
    }

    static RowEntry asVersion1Reads(RowEntry row) {
        return row.isTombstone()
                ? new RowEntry(row.key(), row.kind(), null, row.seq(), row.createTs(), OptionalLong.empty()) : row;
    }

    @Test
    @Timeout(5)
    void restartPointsEverySixteenRowsHoldWholeKeys() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowEntry.value(ascii(String.format("prefix-%03d", i)), ascii("v"), 100 - i));
        }
        byte[] encoded = buildBlocks(rows, 4096).get(0);
        int count = BigEndian.readU16(encoded, encoded.length - 2);
        assertEquals(3, count);
        int rowsEnd = encoded.length - 2 - 2 * count;
        assertEquals(0, BigEndian.readU16(encoded, rowsEnd));
        for (int r = 0; r < count; r++) {
            int offset = BigEndian.readU16(encoded, rowsEnd + 2 * r);
            assertEquals(0, encoded[offset], "restart point " + r + " shares nothing");
            assertEquals(10, encoded[offset + 1], "and stores the whole 10-byte key");
        }
        assertEquals(rows, readAll(Block.decode(BlockFormat.V2, encoded)));
    }

    @Test
    @Timeout(5)
    void anOversizedRowFillsAnEmptyBlockAlone() {
        BlockBuilder builder = new BlockBuilder(100);
        RowEntry big = RowEntry.value(ascii("a"), new byte[500], 1);
        assertTrue(builder.wouldFit(big));
        assertTrue(builder.add(big));
        assertFalse(builder.add(RowEntry.value(ascii("b"), new byte[0], 1)));
        byte[] block = builder.build();
        assertEquals(List.of(big), readAll(Block.decode(BlockFormat.V2, block)));
    }

    @Test
    @Timeout(5)
    void fitCountsRowsRestartOffsetsAndTheCountLikeRust() {
        // Each row: 3 varint bytes + 1 key byte + 0 value + 8 seq + 1 flags = 13 bytes.
        // After one row the block is 13 + 2 + 2 = 17 bytes; a second (non-restart) row makes 30.
        BlockBuilder exact = new BlockBuilder(30);
        assertTrue(exact.add(RowEntry.value(ascii("a"), new byte[0], 1)));
        assertEquals(17, exact.currentSize());
        assertTrue(exact.add(RowEntry.value(ascii("b"), new byte[0], 1)));
        assertEquals(30, exact.currentSize());
        BlockBuilder tooSmall = new BlockBuilder(29);
        assertTrue(tooSmall.add(RowEntry.value(ascii("a"), new byte[0], 1)));
        assertFalse(tooSmall.add(RowEntry.value(ascii("b"), new byte[0], 1)));
    }

    @Test
    @Timeout(5)
    void malformedTrailersAreFormatErrors() {
        byte[] good = buildBlocks(List.of(RowEntry.value(ascii("a"), ascii("x"), 1),
                RowEntry.value(ascii("b"), ascii("y"), 1)), 4096).get(0);
        assertThrows(FormatException.class, () -> Block.decode(BlockFormat.V2, new byte[0]));
        assertThrows(FormatException.class, () -> Block.decode(BlockFormat.V2, new byte[] {0, 0}));
        byte[] tooMany = good.clone();
        BigEndian.writeU16(tooMany, tooMany.length - 2, 500);
        assertThrows(FormatException.class, () -> Block.decode(BlockFormat.V2, tooMany));
        byte[] notAtZero = good.clone();
        BigEndian.writeU16(notAtZero, notAtZero.length - 4, 1);
        assertThrows(FormatException.class, () -> Block.decode(BlockFormat.V2, notAtZero));
        // V1: the second offset beyond the rows, then not increasing.
        byte[] v1 = v1Block(List.of(RowEntry.value(ascii("a"), ascii("x"), 1), RowEntry.value(ascii("b"), ascii("y"), 1)));
        byte[] pastRows = v1.clone();
        BigEndian.writeU16(pastRows, pastRows.length - 4, 0x7fff);
        assertThrows(FormatException.class, () -> Block.decode(BlockFormat.V1, pastRows));
        byte[] decreasing = v1.clone();
        BigEndian.writeU16(decreasing, decreasing.length - 4, 0);
        assertThrows(FormatException.class, () -> Block.decode(BlockFormat.V1, decreasing));
    }

    @Test
    @Timeout(5)
    void aRestartOffsetInsideARowIsAFormatErrorWhenIterating() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(RowEntry.value(ascii("key" + i), ascii("value"), 1));
        }
        byte[] encoded = buildBlocks(rows, 4096).get(0);
        int rowsEnd = encoded.length - 2 - 4;
        BigEndian.writeU16(encoded, rowsEnd + 2, BigEndian.readU16(encoded, rowsEnd + 2) - 3);
        Block block = Block.decode(BlockFormat.V2, encoded);
        assertThrows(FormatException.class, () -> readAll(block));
    }

    @Test
    @Timeout(5)
    void seekPastEveryKeyLeavesNothing() {
        byte[] encoded = buildBlocks(List.of(RowEntry.value(ascii("a"), ascii("x"), 1)), 4096).get(0);
        BlockIterator it = Block.decode(BlockFormat.V2, encoded).iterator();
        it.seek(ascii("b"));
        assertFalse(it.hasNext());
        it.seek(new byte[0]);
        assertArrayEquals(ascii("a"), it.next().key());
    }

    @Test
    @Timeout(5)
    void seekLandsOnTheNewestVersionWhenVersionsStraddleARestartPoint() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowEntry.value(ascii("a" + i), ascii("v"), 1));
        }
        for (int seq = 30; seq > 0; seq--) {
            rows.add(RowEntry.value(ascii("hot"), ascii("v" + seq), seq));
        }
        Block block = Block.decode(BlockFormat.V2, buildBlocks(rows, 65536).get(0));
        BlockIterator it = block.iterator();
        it.seek(ascii("hot"));
        assertEquals(30, it.next().seq());
    }

    @Property(tries = 20)
    void arbitraryTrailersNeverEscapeAsOtherExceptions(@ForAll("sortedRows") List<RowEntry> rows,
                                                        @ForAll @IntRange(min = 0, max = 200) int position,
                                                        @ForAll @IntRange(min = 0, max = 7) int bit) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            if (rows.isEmpty()) {
                return;
            }
            byte[] encoded = buildBlocks(rows, 2048).get(0);
            int at = encoded.length - 1 - Math.min(position, encoded.length - 1);
            encoded[at] ^= (byte) (1 << bit);
            for (BlockFormat format : BlockFormat.values()) {
                try {
                    Block block = Block.decode(format, encoded);
                    readAll(block);
                    block.iterator().seek(rows.get(0).key());
                } catch (FormatException expected) {
                    // A flipped bit in an unchecksummed payload may or may not be detectable here; the point is
                    // that nothing but FormatException comes out.
                }
            }
        });
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
