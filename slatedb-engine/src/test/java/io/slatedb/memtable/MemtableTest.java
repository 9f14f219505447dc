package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.sst.ValueKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemtableTest {
    private static final List<Byte> ALPHABET = List.of((byte) 0x00, (byte) 'a', (byte) 'b', (byte) 0xFF);

    @Provide
    Arbitrary<List<RowEntry>> rows() {
        Arbitrary<byte[]> keys = Arbitraries.of(ALPHABET).array(byte[].class).ofMinSize(1).ofMaxSize(3);
        // Sequence numbers from a small range (many versions, some replaced) that crosses the signed boundary.
        Arbitrary<Long> seqs = Arbitraries.longs().between(-20, 20).map(s -> s + Long.MIN_VALUE);
        return Combinators.combine(keys, Arbitraries.of(ValueKind.class), Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                        seqs)
                .as((key, kind, value, seq) -> new RowEntry(key, kind, kind == ValueKind.TOMBSTONE ? null : value, seq,
                        OptionalLong.empty(), OptionalLong.empty()))
                .list().ofMaxSize(200).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 300)
    void readsMatchASortedMapOfTheRows(@ForAll("rows") List<RowEntry> puts, @ForAll("rows") List<RowEntry> probes) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Memtable memtable = new Memtable();
            // The model: the last put of each (key, seq) wins.
            TreeMap<RowEntry, RowEntry> model = new TreeMap<>(RowEntry.KEY_ASC_SEQ_DESC);
            for (RowEntry row : puts) {
                memtable.put(row);
                model.put(row, row);
            }
            assertEquals(model.size(), memtable.rowCount());
            if (!model.isEmpty()) {
                assertEquals(model.values().stream().map(RowEntry::seq).min(Long::compareUnsigned).orElseThrow(),
                        memtable.firstSeq());
                assertEquals(model.values().stream().map(RowEntry::seq).max(Long::compareUnsigned).orElseThrow(),
                        memtable.lastSeq());
            }
            ImmutableMemtable frozen = memtable.freeze(7);
            for (MemtableView table : List.of(memtable, frozen)) {
                for (RowEntry probe : probes) {
                    long maxSeq = probe.seq();
                    assertEquals(expectedGet(model, probe.key(), maxSeq), table.get(probe.key(), maxSeq));
                    KeyRange range = new KeyRange(probe.key(), probe.kind() == ValueKind.VALUE,
                            probe.value() == null || probe.value().length == 0 ? null : probe.value(),
                            probe.kind() != ValueKind.MERGE_OPERAND);
                    assertEquals(expectedScan(model, range, maxSeq), table.scan(range, maxSeq).collectRemaining().join(),
                            () -> "scan " + range);
                }
                assertEquals(List.copyOf(model.values()), table.scan(KeyRange.all(), -1L).collectRemaining().join());
                for (RowEntry probe : probes) {
                    byte[] prefix = Arrays.copyOf(probe.key(), probe.key().length - 1);
                    assertEquals(expectedScan(model, KeyRange.prefix(prefix), probe.seq()),
                            table.scanPrefix(prefix, probe.seq()).collectRemaining().join());
                }
            }
        });
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
        for (RowEntry row : model.values()) {
            if (range.contains(row.key()) && Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                out.add(row);
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @Timeout(10)
    void getReturnsTheNewestVersionAtOrBelowMaxSeqTombstonesIncluded() {
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.value(bytes("k"), bytes("v1"), 1));
        memtable.put(RowEntry.tombstone(bytes("k"), 5));
        memtable.put(RowEntry.value(bytes("k"), bytes("v9"), 9));
        memtable.put(RowEntry.value(bytes("j"), bytes("other"), 3));
        assertNull(memtable.get(bytes("k"), 0));
        assertEquals(RowEntry.value(bytes("k"), bytes("v1"), 1), memtable.get(bytes("k"), 4));
        assertEquals(RowEntry.tombstone(bytes("k"), 5), memtable.get(bytes("k"), 8));
        assertEquals(RowEntry.value(bytes("k"), bytes("v9"), 9), memtable.get(bytes("k"), -1L));
        assertNull(memtable.get(bytes("kk"), -1L));
        assertNull(memtable.get(bytes("a"), -1L));
    }

    @Test
    @Timeout(10)
    void aRowWithTheSameKeyAndSeqReplacesTheOldOneWithoutCountingTwice() {
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.value(bytes("k"), bytes("first"), 3));
        long sizeAfterFirst = memtable.estimatedSstSize();
        memtable.put(RowEntry.value(bytes("k"), bytes("again"), 3));
        assertEquals(1, memtable.rowCount());
        assertEquals(sizeAfterFirst, memtable.estimatedSstSize());
        assertEquals(RowEntry.value(bytes("k"), bytes("again"), 3), memtable.get(bytes("k"), 3));
    }

    @Test
    @Timeout(10)
    void freezingStopsPutsAndKeepsTheRowsAndTheWalId() {
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.value(bytes("k"), bytes("v"), 42));
        ImmutableMemtable frozen = memtable.freeze(17);
        assertEquals(17, frozen.lastWalId());
        assertEquals(1, frozen.rowCount());
        assertEquals(42, frozen.firstSeq());
        assertEquals(42, frozen.lastSeq());
        assertThrows(IllegalStateException.class, () -> memtable.put(RowEntry.value(bytes("x"), bytes("v"), 43)));
        assertThrows(IllegalStateException.class, () -> memtable.freeze(18));
        assertEquals(RowEntry.value(bytes("k"), bytes("v"), 42), frozen.get(bytes("k"), -1L));
    }

    @Test
    @Timeout(10)
    void anEmptyMemtableHasNoRowsAndNoSize() {
        Memtable memtable = new Memtable();
        assertTrue(memtable.isEmpty());
        assertEquals(0, memtable.estimatedSstSize());
        assertSame(null, memtable.scan(KeyRange.all(), -1L).next().join());
    }

    @Test
    @Timeout(30)
    void theSizeEstimateIsCloseToTheSstTheRowsMake() {
        Memtable memtable = new Memtable();
        SstBuilder builder = SstBuilder.compacted(SstWriterOptions.DEFAULTS);
        for (int i = 0; i < 20_000; i++) {
            RowEntry row = RowEntry.value(bytes(String.format("user-%08d", i)), bytes("value-" + i), i + 1)
                    .withCreateTs(1_700_000_000_000L + i);
            memtable.put(row);
            builder.add(row);
        }
        long actual = builder.build().bytes().length;
        long estimate = memtable.estimatedSstSize();
        // No prefix sharing is assumed, so the estimate is high, but within reach of the real size.
        assertTrue(estimate >= actual && estimate < actual * 1.6, () -> "estimate " + estimate + " for " + actual);
    }
}
