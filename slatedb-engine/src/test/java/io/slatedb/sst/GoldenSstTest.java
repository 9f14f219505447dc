package io.slatedb.sst;

import io.slatedb.format.BigEndian;
import io.slatedb.CompressionCodec;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the SSTs SlateDB 0.12.1 wrote (see {@code golden/sst/README.md}) and checks them against the
 * rows the generator wrote, and checks that this writer, given the same rows and settings, writes the
 * same bytes (uncompressed and zstd) or the same block payloads (other codecs, whose compressors differ).
 */
@Timeout(30)
class GoldenSstTest {
    private static final long ONE_DAY_MS = 86_400_000L;

    /** What the generator wrote, without timestamps, in write (sequence) order. */
    private record Expected(byte[] key, ValueKind kind, byte[] value, long seq, boolean hasTtl) {
    }

    private static List<Expected> written(String codec) {
        int rows = codec.equals("plain") ? 60 : 40;
        int versions = codec.equals("plain") ? 5 : 0;
        List<Expected> out = new ArrayList<>();
        long seq = 1;
        for (int i = 0; i < rows; i++) {
            byte[] key = ascii("key-" + String.format("%04d", i) + "-" + "t".repeat(i % 5));
            if (i % 11 == 5) {
                out.add(new Expected(key, ValueKind.TOMBSTONE, null, seq++, false));
            } else if (i % 13 == 6) {
                out.add(new Expected(key, ValueKind.MERGE_OPERAND, ascii("op" + i), seq++, false));
            } else {
                byte[] value = i % 17 == 3 ? new byte[0] : ascii(("v" + i + ":").repeat(1 + (i % 9)));
                out.add(new Expected(key, ValueKind.VALUE, value, seq++, i % 7 == 2));
            }
        }
        for (int v = 0; v < versions; v++) {
            out.add(new Expected(ascii("key-hot"), ValueKind.VALUE, ascii(("version" + v + ";").repeat(30)), seq++, false));
        }
        return out;
    }

    private static void assertMatches(Expected expected, RowEntry row) {
        String at = "row " + new String(expected.key(), StandardCharsets.US_ASCII) + " seq " + expected.seq();
        assertArrayEquals(expected.key(), row.key(), at);
        assertEquals(expected.kind(), row.kind(), at);
        assertArrayEquals(expected.value(), row.value(), at);
        assertEquals(expected.seq(), row.seq(), at);
        // SlateDB 0.12.1 stamps every row with its creation time, and a TTL row with create + TTL.
        assertTrue(row.createTs().isPresent() && row.createTs().getAsLong() > 1_600_000_000_000L, at);
        if (expected.hasTtl()) {
            assertEquals(row.createTs().getAsLong() + ONE_DAY_MS, row.expireTs().orElseThrow(), at);
        } else {
            assertFalse(row.expireTs().isPresent(), at);
        }
    }

    private static SstReader reader(byte[] bytes) {
        return SstReader.fromBytesRequired("golden.sst", bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "snappy", "zlib", "lz4", "zstd"})
    void compactedSstsHoldTheRowsInKeyOrder(String codec) {
        SstReader reader = reader(Golden.compacted(codec));
        List<Expected> expected = new ArrayList<>(written(codec));
        expected.sort(Comparator.<Expected, byte[]>comparing(Expected::key, Arrays::compareUnsigned)
                .thenComparing(Expected::seq, Comparator.reverseOrder()));
        List<RowEntry> rows = reader.iterator().collectRemaining().join();
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertMatches(expected.get(i), rows.get(i));
        }

        SstInfo info = reader.info();
        assertEquals(SstType.COMPACTED, info.type());
        assertEquals(codecOf(codec), info.compression());
        assertEquals(2, reader.blockFormat().sstFormatVersion());
        assertEquals(FilterFormat.LEGACY, info.filterFormat());
        assertTrue(info.hasFilter());
        assertArrayEquals(expected.get(0).key(), info.firstEntry());
        assertArrayEquals(expected.get(expected.size() - 1).key(), info.lastEntry());
        assertArrayEquals(new byte[0], reader.index().firstKey(0), "0.12.1 gives block 0 an empty index key");
        Futures.join(reader.verify());

        SstStats stats = reader.stats().join().orElseThrow();
        assertEquals(expected.stream().filter(e -> e.kind() == ValueKind.VALUE).count(), stats.numPuts());
        assertEquals(expected.stream().filter(e -> e.kind() == ValueKind.TOMBSTONE).count(), stats.numDeletes());
        assertEquals(expected.stream().filter(e -> e.kind() == ValueKind.MERGE_OPERAND).count(), stats.numMerges());
        assertEquals(expected.stream().mapToLong(e -> e.key().length).sum(), stats.rawKeySize());
        assertEquals(expected.stream().mapToLong(e -> e.value() == null ? 0 : e.value().length).sum(), stats.rawValueSize());
        assertEquals(reader.index().blockCount(), stats.blocks().size());

        SstModel model = new SstModel(rows);
        for (RowEntry row : rows) {
            assertTrue(reader.mightContain(row.key()).join());
            assertEquals(model.get(row.key(), row.seq()), reader.get(row.key(), row.seq()).join());
        }
        assertNull(reader.get(ascii("key-0000-x")).join());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "snappy", "zlib", "lz4", "zstd"})
    void walSstsHoldTheRowsInSequenceOrder(String codec) {
        SstReader reader = reader(Golden.wal(codec));
        List<Expected> expected = written(codec);
        List<RowEntry> rows = reader.iterator().collectRemaining().join();
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertMatches(expected.get(i), rows.get(i));
        }
        SstInfo info = reader.info();
        assertEquals(SstType.WAL, info.type());
        assertEquals(codecOf(codec), info.compression());
        assertArrayEquals(BigEndian.u64Bytes(1), info.firstEntry());
        assertNull(info.lastEntry());
        assertFalse(info.hasFilter());
        assertEquals(0, info.statsLength());
        assertEquals(info.indexOffset(), info.filterOffset(), "the filter offset marks the end of the data");
        for (int b = 0; b < reader.index().blockCount(); b++) {
            assertEquals(8, reader.index().firstKey(b).length);
        }
        Futures.join(reader.verify());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "snappy", "zlib", "lz4", "zstd"})
    void theFirstWalObjectIsAnEmptyCompactedSst(String codec) {
        SstReader reader = reader(Golden.walFence(codec));
        assertEquals(SstType.COMPACTED, reader.info().type());
        assertEquals(0, reader.index().blockCount());
        assertNull(reader.info().firstEntry());
        assertEquals(List.of(), reader.iterator().collectRemaining().join());
        assertEquals(Optional.of(new SstStats(0, 0, 0, 0, 0, List.of())), reader.stats().join());
        Futures.join(reader.verify());
    }

    private static SstWriterOptions optionsOf(SstReader golden) {
        // The generator's settings: 1 KiB blocks, min_filter_keys 10, the SST's codec.
        return SstWriterOptions.DEFAULTS.withBlockSize(1024).withMinFilterKeys(10)
                .withCompression(golden.info().compression());
    }

    private static EncodedSst rewrite(SstReader golden) {
        SstBuilder builder = golden.info().type() == SstType.WAL ? SstBuilder.wal(optionsOf(golden))
                : SstBuilder.compacted(optionsOf(golden));
        golden.iterator().collectRemaining().join().forEach(builder::add);
        return builder.build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "zstd"})
    void thisWriterWritesTheSameBytesAsSlateDb(String codec) {
        for (byte[] golden : List.of(Golden.compacted(codec), Golden.wal(codec), Golden.walFence(codec))) {
            assertArrayEquals(golden, rewrite(reader(golden)).bytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zlib", "lz4"})
    void thisWriterCutsTheSameBlocksAsSlateDb(String codec) {
        for (byte[] golden : List.of(Golden.compacted(codec), Golden.wal(codec))) {
            SstReader theirs = reader(golden);
            SstReader ours = reader(rewrite(theirs).bytes());
            assertEquals(theirs.index().blockCount(), ours.index().blockCount());
            for (int b = 0; b < theirs.index().blockCount(); b++) {
                assertArrayEquals(theirs.index().firstKey(b), ours.index().firstKey(b));
                assertArrayEquals(theirs.block(b).join().bytes(), ours.block(b).join().bytes(), "payload of block " + b);
            }
            assertEquals(theirs.iterator().collectRemaining().join(), ours.iterator().collectRemaining().join());
            assertEquals(theirs.stats().join(), ours.stats().join());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "snappy", "zlib", "lz4", "zstd"})
    void theBloomFilterIsSlateDbsBitForBit(String codec) {
        SstReader golden = reader(Golden.compacted(codec));
        BloomFilterBuilder builder = new BloomFilterBuilder(10);
        golden.iterator().collectRemaining().join().forEach(row -> builder.addKey(row.key()));
        BloomFilter theirs = golden.loadFilter().join().orElseThrow();
        assertArrayEquals(theirs.encode(), builder.build().encode());
    }

    @Test
    void everyBitFlipOfAGoldenSstIsCorrupt() {
        byte[] golden = Golden.compacted("zstd");
        List<RowEntry> rows = reader(golden).iterator().collectRemaining().join();
        for (int bit = 0; bit < golden.length * 8; bit++) {
            byte[] flipped = golden.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            SstCorruptionTest.assertCorrupt(flipped, rows, "flip of bit " + bit);
        }
    }

    private static CompressionCodec codecOf(String name) {
        return name.equals("plain") ? CompressionCodec.NONE : CompressionCodec.valueOf(name.toUpperCase());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
