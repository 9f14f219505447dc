package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.ByteSink;
import io.slatedb.format.FormatException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowCodecTest {

    @Provide
    Arbitrary<RowEntry> rows() {
        return RowArbitraries.rows(0);
    }

    @Property(tries = 300)
    void v2RoundTripsSharingAnyPrefixOfThePreviousKey(@ForAll("rows") RowEntry previous, @ForAll("rows") RowEntry row) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int mismatch = java.util.Arrays.mismatch(previous.key(), row.key());
            int shared = mismatch < 0 ? row.key().length : Math.min(mismatch, row.key().length);
            ByteSink out = new ByteSink();
            RowCodecV2.encode(out, shared, row);
            byte[] bytes = out.toByteArray();
            assertEquals(RowCodecV2.encodedSize(shared, row), bytes.length);
            ByteCursor in = new ByteCursor(bytes);
            assertEquals(row, RowCodecV2.decode(in, previous.key()));
            assertTrue(in.exhausted());
        });
    }

    @Property(tries = 300)
    void v0RoundTripsSharingAnyPrefixOfTheFirstKey(@ForAll("rows") RowEntry first, @ForAll("rows") RowEntry row) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int mismatch = java.util.Arrays.mismatch(first.key(), row.key());
            int prefix = mismatch < 0 ? row.key().length : Math.min(mismatch, row.key().length);
            ByteSink out = new ByteSink();
            RowCodecV0.encode(out, prefix, row);
            ByteCursor in = new ByteCursor(out.toByteArray());
            RowEntry decoded = RowCodecV0.decode(in, first.key());
            // Version-1 tombstones do not report an expiry time (as in the Rust reader).
            RowEntry expected = row.isTombstone()
                    ? new RowEntry(row.key(), row.kind(), null, row.seq(), row.createTs(), OptionalLong.empty()) : row;
            assertEquals(expected, decoded);
            assertTrue(in.exhausted());
        });
    }

    @Property(tries = 200)
    void everyTruncationOfAV2RowIsAFormatError(@ForAll("rows") RowEntry row) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            ByteSink out = new ByteSink();
            RowCodecV2.encode(out, 0, row);
            byte[] bytes = out.toByteArray();
            for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 64)) {
                int end = cut;
                assertThrows(FormatException.class, () -> RowCodecV2.decode(new ByteCursor(bytes, 0, end), null));
            }
        });
    }

    @Test
    @Timeout(5)
    void v2LayoutIsVarintsThenKeyValueSeqFlagsExpireCreate() {
        RowEntry row = new RowEntry(ascii("banana"), ValueKind.VALUE, ascii("yellow"), 2, OptionalLong.of(0x01a2017f3626L),
                OptionalLong.of(0x01a201b624a6L));
        ByteSink out = new ByteSink();
        RowCodecV2.encode(out, 0, row);
        // Bytes 0x1b..0x40 of the WAL SST SlateDB 0.12.1 wrote for put("banana", "yellow", ttl 1h).
        assertEquals("000606" + "62616e616e61" + "79656c6c6f77" + "0000000000000002" + "06" + "000001a201b624a6" + "000001a2017f3626",
                HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    @Timeout(5)
    void v2TombstonesAndMergeOperandsHaveTheirFlags() {
        ByteSink out = new ByteSink();
        RowCodecV2.encode(out, 0, RowEntry.tombstone(ascii("k"), 3).withCreateTs(1));
        RowCodecV2.encode(out, 1, RowEntry.mergeOperand(ascii("km"), ascii("op"), 4));
        byte[] bytes = out.toByteArray();
        assertEquals("00010" + "06b" + "0000000000000003" + "05" + "0000000000000001"
                + "010102" + "6d" + "6f70" + "0000000000000004" + "08", HexFormat.of().formatHex(bytes));
        ByteCursor in = new ByteCursor(bytes);
        RowEntry tombstone = RowCodecV2.decode(in, null);
        assertTrue(tombstone.isTombstone());
        RowEntry merge = RowCodecV2.decode(in, tombstone.key());
        assertEquals(ValueKind.MERGE_OPERAND, merge.kind());
        assertArrayEquals(ascii("km"), merge.key());
    }

    @Test
    @Timeout(5)
    void unknownFlagBitsAndImpossibleCombinationsAreFormatErrors() {
        for (int flags : new int[] {0x10, 0x80, 0x09}) {
            byte[] row = new ByteSink().writeVarU32(0).writeVarU32(1).writeVarU32(0).write(ascii("k")).writeU64(1)
                    .writeU8(flags).toByteArray();
            assertThrows(FormatException.class, () -> RowCodecV2.decode(new ByteCursor(row), null), "flags " + flags);
        }
    }

    @Test
    @Timeout(5)
    void aTombstoneWithValueBytesIsAFormatError() {
        byte[] row = new ByteSink().writeVarU32(0).writeVarU32(1).writeVarU32(2).write(ascii("k")).write(ascii("vv"))
                .writeU64(1).writeU8(RowFlags.TOMBSTONE).toByteArray();
        assertThrows(FormatException.class, () -> RowCodecV2.decode(new ByteCursor(row), null));
    }

    @Test
    @Timeout(5)
    void sharingMoreThanThePreviousKeyIsAFormatError() {
        byte[] row = new ByteSink().writeVarU32(3).writeVarU32(1).writeVarU32(0).write(ascii("k")).writeU64(1)
                .writeU8(0).toByteArray();
        assertThrows(FormatException.class, () -> RowCodecV2.decode(new ByteCursor(row), ascii("ab")));
        assertThrows(FormatException.class, () -> RowCodecV2.decode(new ByteCursor(row), null));
        byte[] v0 = new ByteSink().writeU16(3).writeU16(1).write(ascii("k")).writeU64(1).writeU8(0).writeU32(0).toByteArray();
        assertThrows(FormatException.class, () -> RowCodecV0.decode(new ByteCursor(v0), ascii("ab")));
    }

    @Test
    @Timeout(5)
    void v0LayoutPutsTimestampsBeforeTheValue() {
        RowEntry row = RowEntry.value(ascii("keyX"), ascii("v"), 7).withExpireTs(9).withCreateTs(8);
        ByteSink out = new ByteSink();
        RowCodecV0.encode(out, 3, row);
        assertEquals("0003" + "0001" + "58" + "0000000000000007" + "06" + "0000000000000009" + "0000000000000008"
                + "00000001" + "76", HexFormat.of().formatHex(out.toByteArray()));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
