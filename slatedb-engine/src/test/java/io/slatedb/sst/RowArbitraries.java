package io.slatedb.sst;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;

/** Generators of rows for the property tests. */
final class RowArbitraries {
    private RowArbitraries() {
    }

    /** Keys from a small alphabet, so neighbouring keys share prefixes and collide often. */
    static Arbitrary<byte[]> keys(int minLength) {
        Arbitrary<byte[]> small = Arbitraries.bytes().between((byte) 'a', (byte) 'd').array(byte[].class)
                .ofMinSize(minLength).ofMaxSize(12);
        Arbitrary<byte[]> binary = Arbitraries.bytes().array(byte[].class).ofMinSize(Math.max(minLength, 1)).ofMaxSize(40);
        Arbitrary<byte[]> longKeys = Arbitraries.bytes().between((byte) 'a', (byte) 'b').array(byte[].class)
                .ofMinSize(200).ofMaxSize(700);
        return Arbitraries.frequencyOf(
                Tuple.of(8, small), Tuple.of(3, binary), Tuple.of(1, longKeys));
    }

    /** Values: often empty or short, sometimes several kilobytes (more than a small block). */
    static Arbitrary<byte[]> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(new byte[0])),
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(30)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1000).ofMaxSize(6000)));
    }

    static Arbitrary<OptionalLong> timestamps() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(OptionalLong.empty())),
                Tuple.of(2, Arbitraries.longs().map(OptionalLong::of)));
    }

    static Arbitrary<ValueKind> kinds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(ValueKind.VALUE)),
                Tuple.of(2, Arbitraries.just(ValueKind.TOMBSTONE)),
                Tuple.of(2, Arbitraries.just(ValueKind.MERGE_OPERAND)));
    }

    /** One row with any key, kind, sequence number and timestamps. */
    static Arbitrary<RowEntry> rows(int minKeyLength) {
        return Combinators.combine(keys(minKeyLength), kinds(), values(), Arbitraries.longs(), timestamps(), timestamps())
                .as((key, kind, value, seq, created, expires) ->
                        new RowEntry(key, kind, kind == ValueKind.TOMBSTONE ? null : value, seq, created, expires));
    }

    /**
     * Rows in compacted order ({@link RowEntry#KEY_ASC_SEQ_DESC}) without duplicate (key, seq) pairs,
     * some keys with many versions.
     */
    static Arbitrary<List<RowEntry>> compactedRows(int maxRows) {
        return Combinators.combine(rows(0).list().ofMaxSize(maxRows),
                        Arbitraries.integers().between(0, 30), rows(0), Arbitraries.longs())
                .as((rows, versions, hot, baseSeq) -> {
                    List<RowEntry> all = new ArrayList<>(rows);
                    for (int i = 0; i < versions; i++) {
                        all.add(new RowEntry(hot.key(), hot.kind(), hot.value(), baseSeq + i, hot.createTs(), hot.expireTs()));
                    }
                    TreeSet<RowEntry> sorted = new TreeSet<>(RowEntry.KEY_ASC_SEQ_DESC);
                    sorted.addAll(all);
                    return List.copyOf(sorted);
                });
    }

    /** Rows in WAL order: sequence ascending (unsigned), keys ascending within a sequence number. */
    static Arbitrary<List<RowEntry>> walRows(int maxRows) {
        return rows(0).list().ofMaxSize(maxRows).map(rows -> {
            TreeSet<RowEntry> sorted = new TreeSet<>((a, b) -> {
                int bySeq = Long.compareUnsigned(a.seq(), b.seq());
                return bySeq != 0 ? bySeq : Arrays.compareUnsigned(a.key(), b.key());
            });
            sorted.addAll(rows);
            return List.copyOf(sorted);
        });
    }
}
