package io.slatedb.sst;

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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class BlockPointSearchTest {

    @Provide
    Arbitrary<List<RowEntry>> sortedRows() {
        return RowArbitraries.compactedRows(120);
    }

    @Provide
    Arbitrary<byte[]> probes() {
        return RowArbitraries.keys(0);
    }

    /**
     * What a point search of one block must answer, from the block's rows in order: the first row at or
     * above the key decides; versions of the key are taken newest first down to maxSeq.
     */
    private static RowEntry expected(List<RowEntry> rows, byte[] key, long maxSeq) {
        boolean atKey = false;
        for (RowEntry row : rows) {
            int cmp = Arrays.compareUnsigned(row.key(), key);
            if (cmp < 0 && !atKey) {
                continue;
            }
            if (cmp != 0) {
                return null;
            }
            atKey = true;
            if (Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                return row;
            }
        }
        return BlockPointSearch.NEXT_BLOCK;
    }

    @Property(tries = 200)
    void findsWhatTheRowsInOrderSay(@ForAll("sortedRows") List<RowEntry> rows, @ForAll("probes") byte[] probe,
                                    @ForAll @IntRange(min = 64, max = 4096) int targetSize) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (byte[] encoded : BlockTest.buildBlocks(rows, targetSize)) {
                Block block = Block.decode(BlockFormat.V2, encoded);
                List<RowEntry> inBlock = BlockTest.readAll(block);
                List<byte[]> keys = new ArrayList<>(List.of(probe));
                List<Long> seqs = new ArrayList<>(List.of(SstReader.MAX_SEQ, 0L));
                for (RowEntry row : inBlock) {
                    keys.add(row.key());
                    keys.add(Arrays.copyOf(row.key(), row.key().length + 1));
                    if (row.key().length > 0) {
                        keys.add(Arrays.copyOf(row.key(), row.key().length - 1));
                    }
                    seqs.add(row.seq());
                    seqs.add(row.seq() - 1);
                }
                for (byte[] key : keys) {
                    for (long maxSeq : seqs) {
                        RowEntry want = expected(inBlock, key, maxSeq);
                        RowEntry got = BlockPointSearch.find(block, key, maxSeq);
                        if (want == BlockPointSearch.NEXT_BLOCK) {
                            assertSame(BlockPointSearch.NEXT_BLOCK, got);
                        } else {
                            assertEquals(want, got);
                        }
                    }
                }
            }
        });
    }

    @Property(tries = 100)
    void versionOneBlocksAnswerAlike(@ForAll("sortedRows") List<RowEntry> rows, @ForAll("probes") byte[] probe) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            List<RowEntry> fitting = rows.stream().filter(r -> r.key().length < 300 && r.valueLength() <= 1000)
                    .limit(40).toList();
            if (fitting.isEmpty()) {
                return;
            }
            Block block = Block.decode(BlockFormat.V1, BlockTest.v1Block(fitting));
            List<RowEntry> inBlock = BlockTest.readAll(block);
            List<byte[]> keys = new ArrayList<>(List.of(probe));
            inBlock.forEach(row -> keys.add(row.key()));
            for (byte[] key : keys) {
                RowEntry want = expected(inBlock, key, SstReader.MAX_SEQ);
                RowEntry got = BlockPointSearch.find(block, key, SstReader.MAX_SEQ);
                if (want == BlockPointSearch.NEXT_BLOCK) {
                    assertSame(BlockPointSearch.NEXT_BLOCK, got);
                } else {
                    assertEquals(want, got);
                }
            }
        });
    }

    /** A damaged block answers as a block iterator's seek and scan over it would, or fails alike. */
    @Property(tries = 200)
    void aDamagedBlockAnswersAsItsIteratorDoes(@ForAll("sortedRows") List<RowEntry> rows,
                                              @ForAll @IntRange(min = 0, max = 100_000) int position,
                                              @ForAll @IntRange(min = 0, max = 7) int bit) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            if (rows.isEmpty()) {
                return;
            }
            byte[] encoded = BlockTest.buildBlocks(rows, 2048).get(0);
            encoded[position % encoded.length] ^= (byte) (1 << bit);
            Block block;
            try {
                block = Block.decode(BlockFormat.V2, encoded);
            } catch (FormatException e) {
                return;
            }
            for (RowEntry row : rows) {
                Object want = outcome(() -> viaIterator(block, row.key()));
                Object got = outcome(() -> BlockPointSearch.find(block, row.key(), SstReader.MAX_SEQ));
                assertEquals(want, got, "probe " + Arrays.toString(row.key()));
            }
        });
    }

    private static RowEntry viaIterator(Block block, byte[] key) {
        BlockIterator it = block.iterator();
        it.seek(key);
        while (it.hasNext()) {
            RowEntry row = it.next();
            if (!Arrays.equals(row.key(), key)) {
                return null;
            }
            return row;
        }
        return BlockPointSearch.NEXT_BLOCK;
    }

    /** The answer, "next block", or the failure's type: only format errors may come out. */
    private static Object outcome(java.util.function.Supplier<RowEntry> search) {
        try {
            RowEntry row = search.get();
            return row == BlockPointSearch.NEXT_BLOCK ? "next block" : row == null ? "none" : row;
        } catch (FormatException e) {
            return FormatException.class;
        }
    }

    @Test
    @Timeout(5)
    void theFoundRowOwnsItsValueAndCarriesTheTargetKey() {
        BlockBuilder builder = new BlockBuilder(4096);
        builder.add(RowEntry.value(ascii("apple"), ascii("red"), 7));
        builder.add(RowEntry.value(ascii("banana"), ascii("yellow"), 5));
        byte[] encoded = builder.build();
        Block block = Block.decode(BlockFormat.V2, encoded);
        byte[] key = ascii("banana");
        RowEntry row = BlockPointSearch.find(block, key, SstReader.MAX_SEQ);
        assertSame(key, row.key());
        assertArrayEquals(ascii("yellow"), row.value());
        row.value()[0] = 'Y';
        assertArrayEquals(ascii("yellow"), BlockPointSearch.find(block, key, SstReader.MAX_SEQ).value());
        assertNull(BlockPointSearch.find(block, ascii("b"), SstReader.MAX_SEQ));
        assertSame(BlockPointSearch.NEXT_BLOCK, BlockPointSearch.find(block, ascii("cherry"), SstReader.MAX_SEQ));
    }

    @Test
    @Timeout(5)
    void aTombstoneStoringValueBytesIsAFormatErrorWhenPassedOver() {
        BlockBuilder builder = new BlockBuilder(4096);
        builder.add(RowEntry.value(ascii("a"), ascii("x"), 1));
        builder.add(RowEntry.value(ascii("b"), ascii("y"), 1));
        byte[] encoded = builder.build();
        // Row "a": shared 0, unshared 1, value length 1, "a", "x", seq (8 bytes), flags: mark it a tombstone.
        int flagsAt = 3 + 1 + 1 + 8;
        encoded[flagsAt] = (byte) RowFlags.TOMBSTONE;
        Block block = Block.decode(BlockFormat.V2, encoded);
        FormatException error = assertThrows(FormatException.class,
                () -> BlockPointSearch.find(block, ascii("b"), SstReader.MAX_SEQ));
        assertEquals("tombstone row stores a 1-byte value", error.getMessage());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
