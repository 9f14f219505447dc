package io.slatedb.sst;

import io.slatedb.testing.ReadRecordingStore;
import io.slatedb.format.BigEndian;
import io.slatedb.CompressionCodec;
import io.slatedb.util.Futures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.concurrent.ForkJoinPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SstRoundTripTest {

    @Provide
    Arbitrary<SstWriterOptions> options() {
        return Combinators.combine(
                Arbitraries.of(64, 200, 1024, 4096),
                Arbitraries.of(CompressionCodec.class),
                Arbitraries.of(0, 5, 1000),
                Arbitraries.integers().between(1, 16),
                Arbitraries.of(FilterFormat.class)).as(SstWriterOptions::new);
    }

    @Provide
    Arbitrary<List<RowEntry>> compactedRows() {
        return RowArbitraries.compactedRows(250);
    }

    @Provide
    Arbitrary<List<RowEntry>> walRows() {
        return RowArbitraries.walRows(250);
    }

    @Provide
    Arbitrary<List<byte[]>> probes() {
        return RowArbitraries.keys(0).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Long>> seqs() {
        return Arbitraries.longs().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Boolean> throughStore() {
        return Arbitraries.of(true, false);
    }

    private static SstReader open(byte[] bytes, boolean throughStore) {
        if (!throughStore) {
            return SstReader.fromBytesRequired("mem.sst", bytes);
        }
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        store.put("db/compacted/x.sst", bytes).join();
        // A small first read makes the opener reach back for the info and the index.
        SstReaderOptions options = SstReaderOptions.DEFAULTS.withInitialReadSize(64).withReadAheadBlocks(2);
        return Futures.join(SstReader.openRequired(store, "db/compacted/x.sst", options));
    }

    @Property(tries = 80)
    void compactedSstsAnswerLikeTheirSortedRows(@ForAll("compactedRows") List<RowEntry> rows,
                                                @ForAll("options") SstWriterOptions options,
                                                @ForAll("probes") List<byte[]> probes,
                                                @ForAll("seqs") List<Long> seqs,
                                                @ForAll("throughStore") boolean throughStore) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            SstBuilder builder = SstBuilder.compacted(options);
            rows.forEach(builder::add);
            EncodedSst sst = builder.build();
            SstReader reader = open(sst.bytes(), throughStore);
            SstModel model = new SstModel(rows);

            assertEquals(sst.info(), reader.info());
            assertEquals(SstType.COMPACTED, reader.info().type());
            assertEquals(options.compression(), reader.info().compression());
            assertEquals(rows.size() >= options.minFilterKeys(), reader.info().hasFilter());
            assertEquals(2, sst.formatVersion());
            if (!rows.isEmpty()) {
                assertArrayEquals(rows.get(0).key(), reader.info().firstEntry());
                assertArrayEquals(rows.get(rows.size() - 1).key(), reader.info().lastEntry());
            }
            assertEquals(rows, reader.iterator().collectRemaining().join());
            Futures.join(reader.verify());
            SstStats stats = reader.stats().join().orElseThrow();
            assertEquals(rows.size(), stats.numRows());
            assertEquals(reader.index().blockCount(), stats.blocks().size());

            List<byte[]> keys = new ArrayList<>(probes);
            rows.forEach(r -> keys.add(r.key()));
            List<Long> maxSeqs = new ArrayList<>(seqs);
            maxSeqs.add(SstReader.MAX_SEQ);
            for (byte[] key : keys) {
                for (long maxSeq : maxSeqs) {
                    assertEquals(model.get(key, maxSeq), reader.get(key, maxSeq).join());
                }
                if (model.get(key, SstReader.MAX_SEQ) != null) {
                    assertTrue(reader.mightContain(key).join());
                }
            }
            for (int i = 0; i + 1 < probes.size(); i += 2) {
                byte[] a = probes.get(i);
                byte[] b = probes.get(i + 1);
                for (KeyRange range : List.of(KeyRange.halfOpen(a, b), KeyRange.closed(a, b), KeyRange.halfOpen(a, null),
                        KeyRange.halfOpen(null, b), new KeyRange(a, false, b, true), KeyRange.point(a))) {
                    assertEquals(model.scan(range), reader.scan(range).collectRemaining().join(), range.toString());
                }
            }
            assertEquals(rows, reader.scan(KeyRange.all()).collectRemaining().join());
        });
    }

    @Property(tries = 60)
    void walSstsReturnTheirRowsInSequenceOrder(@ForAll("walRows") List<RowEntry> rows,
                                              @ForAll("options") SstWriterOptions options,
                                              @ForAll("throughStore") boolean throughStore) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            SstBuilder builder = SstBuilder.wal(options);
            rows.forEach(builder::add);
            EncodedSst sst = builder.build();
            SstReader reader = open(sst.bytes(), throughStore);

            assertEquals(SstType.WAL, reader.info().type());
            assertEquals(0, reader.info().filterLength());
            assertEquals(0, reader.info().statsLength());
            assertNull(reader.info().lastEntry());
            assertEquals(Optional.empty(), reader.stats().join());
            if (rows.isEmpty()) {
                assertNull(reader.info().firstEntry());
            } else {
                assertEquals(rows.get(0).seq(), BigEndian.readU64(reader.info().firstEntry(), 0));
            }
            for (int i = 0; i < reader.index().blockCount(); i++) {
                assertEquals(8, reader.index().firstKey(i).length);
            }
            assertEquals(rows, reader.iterator().collectRemaining().join());
            Futures.join(reader.verify());
            assertThrows(IllegalStateException.class, () -> reader.get(new byte[] {1}));
            assertThrows(IllegalStateException.class, () -> reader.scan(KeyRange.all()));
        });
    }
}
