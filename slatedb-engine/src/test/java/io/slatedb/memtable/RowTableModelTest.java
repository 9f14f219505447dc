package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The packed memtable (rows in a byte arena, positions in a paged skip list) against a TreeMap model:
 * keys longer than the 8 inlined bytes that differ only after them, keys that are prefixes of others
 * or end in zero bytes, timestamps, rows that get a page of their own, and enough rows to fill many
 * pages.
 */
class RowTableModelTest {

    @Provide
    Arbitrary<List<RowEntry>> rows() {
        // Keys share a 9-byte stem often, so most comparisons are decided past the inlined prefix.
        Arbitrary<byte[]> tails = Arbitraries.of((byte) 0, (byte) 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF)
                .array(byte[].class).ofMaxSize(3);
        Arbitrary<byte[]> stems = Arbitraries.of(new byte[] {'s', 't', 'e', 'm', '-', 'k', 'e', 'y', 0},
                new byte[] {'s', 't', 'e', 'm'}, new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, new byte[] {(byte) 0xFF});
        Arbitrary<byte[]> keys = Combinators.combine(stems, tails).as(RowTableModelTest::concat)
                .filter(k -> k.length > 0);
        Arbitrary<Long> seqs = Arbitraries.longs().between(-5, 30).map(s -> s + Long.MIN_VALUE);
        Arbitrary<Integer> valueLengths = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.integers().between(0, 40)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(RowArena.PAGE_BYTES / 4, RowArena.PAGE_BYTES + 10)));
        Arbitrary<OptionalLong> timestamps = Arbitraries.oneOf(Arbitraries.just(OptionalLong.empty()),
                Arbitraries.longs().map(OptionalLong::of));
        return Combinators.combine(keys, Arbitraries.of(ValueKind.class), valueLengths, seqs, timestamps, timestamps)
                .as((key, kind, valueLength, seq, createTs, expireTs) -> new RowEntry(key, kind,
                        kind == ValueKind.TOMBSTONE ? null : filled(valueLength, seq), seq, createTs, expireTs))
                .list().ofMaxSize(120);
    }

    @Property(tries = 200)
    void getsAndScansMatchTheModel(@ForAll("rows") List<RowEntry> puts, @ForAll("rows") List<RowEntry> probes) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            RowTable table = new RowTable();
            TreeMap<RowEntry, RowEntry> model = new TreeMap<>(RowEntry.KEY_ASC_SEQ_DESC);
            for (RowEntry row : puts) {
                table.put(row);
                model.put(row, row);
            }
            assertEquals(model.size(), table.rowCount());
            assertEquals(List.copyOf(model.values()), table.scan(KeyRange.all(), -1L).collectRemaining().join());
            if (model.isEmpty()) {
                assertNull(table.firstKey());
                assertNull(table.lastKey());
            } else {
                assertArrayEquals(model.firstKey().key(), table.firstKey());
                assertArrayEquals(model.lastKey().key(), table.lastKey());
            }
            for (RowEntry probe : probes) {
                assertEquals(expectedGet(model, probe.key(), probe.seq()), table.get(probe.key(), probe.seq()));
                for (KeyRange range : List.of(KeyRange.point(probe.key()), KeyRange.prefix(probe.key()),
                        new KeyRange(probe.key(), false, null, false), new KeyRange(null, false, probe.key(), true),
                        new KeyRange(probe.key(), probe.kind() == ValueKind.VALUE, concat(probe.key(), new byte[] {0}),
                                probe.kind() != ValueKind.TOMBSTONE))) {
                    assertEquals(expectedScan(model, range, probe.seq()),
                            table.scan(range, probe.seq()).collectRemaining().join(), () -> "scan " + range);
                }
            }
        });
    }

    /**
     * Write batches as the writer applies them: each batch's rows in ascending key order with one
     * sequence number, so every put after a batch's first continues from the previous put's position.
     * Batches overlap in key range, come with sequence numbers out of order, and are sometimes applied
     * twice (a replayed WAL), so a continued search also meets existing positions and replaced rows.
     */
    @Property(tries = 200)
    void batchesInKeyOrderMatchTheModel(@ForAll("rows") List<RowEntry> rows, @ForAll("batchSizes") List<Integer> sizes) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            RowTable table = new RowTable();
            TreeMap<RowEntry, RowEntry> model = new TreeMap<>(RowEntry.KEY_ASC_SEQ_DESC);
            int start = 0;
            for (int b = 0; start < rows.size(); b++) {
                int end = Math.min(rows.size(), start + sizes.get(b % sizes.size()));
                long seq = rows.get(start).seq();
                TreeMap<byte[], RowEntry> batch = new TreeMap<>(Arrays::compareUnsigned);
                for (RowEntry row : rows.subList(start, end)) {
                    batch.put(row.key(), new RowEntry(row.key(), row.kind(), row.value(), seq, row.createTs(), row.expireTs()));
                }
                for (int times = b % 3 == 2 ? 2 : 1; times > 0; times--) {
                    for (RowEntry row : batch.values()) {
                        table.put(row);
                        model.put(row, row);
                    }
                }
                start = end;
            }
            assertEquals(model.size(), table.rowCount());
            assertEquals(List.copyOf(model.values()), table.scan(KeyRange.all(), -1L).collectRemaining().join());
            for (RowEntry row : model.values()) {
                assertEquals(row, table.get(row.key(), row.seq()));
            }
        });
    }

    @Provide
    Arbitrary<List<Integer>> batchSizes() {
        return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(5);
    }

    @Test
    @Timeout(60)
    void ascendingKeysAcrossManyPagesKeepTheirOrder() {
        // A sequential load: every key above all earlier ones, in batches, so nearly every put continues
        // from the previous one; enough rows for several skip-list pages and a tall list.
        RowTable table = new RowTable();
        List<RowEntry> expected = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            byte[] key = ByteBuffer.allocate(12).putInt(7).putLong(i).array();
            RowEntry row = new RowEntry(key, ValueKind.VALUE, filled(i % 50, i), 1 + i / 100,
                    OptionalLong.of(i), OptionalLong.empty());
            table.put(row);
            expected.add(row);
        }
        assertEquals(expected, table.scan(KeyRange.all(), -1L).collectRemaining().join());
        for (int i = 0; i < expected.size(); i += 101) {
            RowEntry row = expected.get(i);
            assertEquals(row, table.get(row.key(), -1L));
        }
    }

    @Test
    @Timeout(60)
    void manyRowsAcrossManyPagesKeepTheirOrderAndBytes() {
        RowTable table = new RowTable();
        TreeMap<RowEntry, RowEntry> model = new TreeMap<>(RowEntry.KEY_ASC_SEQ_DESC);
        Random random = new Random(7);
        // About 40k nodes fill several skip-list pages; 40k rows of ~100 bytes fill many arena pages.
        for (long seq = 1; seq <= 40_000; seq++) {
            byte[] key = new byte[1 + random.nextInt(24)];
            random.nextBytes(key);
            key[0] = (byte) random.nextInt(4); // a few hot first bytes: many shared prefixes
            RowEntry row = new RowEntry(key, ValueKind.VALUE, filled(random.nextInt(200), seq), seq,
                    OptionalLong.of(seq * 3), seq % 5 == 0 ? OptionalLong.of(seq * 7) : OptionalLong.empty());
            table.put(row);
            model.put(row, row);
        }
        assertEquals(List.copyOf(model.values()), table.scan(KeyRange.all(), -1L).collectRemaining().join());
        for (RowEntry row : model.values()) {
            if (row.seq() % 97 == 0) {
                // Sequence numbers are unique, so the newest version at or below the row's own is the row.
                assertEquals(row, table.get(row.key(), row.seq()));
            }
        }
    }

    private static RowEntry expectedGet(TreeMap<RowEntry, RowEntry> model, byte[] key, long maxSeq) {
        for (RowEntry row : model.values()) {
            if (Arrays.equals(row.key(), key) && Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                return row;
            }
        }
        return null;
    }

    private static List<RowEntry> expectedScan(TreeMap<RowEntry, RowEntry> model, KeyRange range, long maxSeq) {
        List<RowEntry> out = new ArrayList<>();
        if (range.isEmpty()) {
            return out;
        }
        for (RowEntry row : model.values()) {
            if (range.contains(row.key()) && Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                out.add(row);
            }
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] filled(int length, long seed) {
        byte[] value = new byte[length];
        new Random(seed).nextBytes(value);
        return value;
    }
}
