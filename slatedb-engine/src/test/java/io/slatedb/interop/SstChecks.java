package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.CompressionCodec;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstReader;
import io.slatedb.sst.SstStats;
import io.slatedb.sst.SstType;
import io.slatedb.sst.ValueKind;
import io.slatedb.util.Futures;
import java.util.Arrays;
import java.util.List;

/** Checks of a compacted SST that the Rust SlateDB 0.12.1 wrote, through this project's reader. */
final class SstChecks {

    private SstChecks() {
    }

    /**
     * A compacted SST as 0.12.1 writes it without snapshots, decoded into {@code rows}: it verifies (every
     * block's checksum, the order, index and filter), it is format version 2 with {@code codec}, it holds one
     * row per key in key order, its info names the first and last key, it has a legacy bloom filter exactly
     * when it has at least {@code minFilterKeys} rows and that filter passes every stored key, a point read
     * of each key finds that key's row (and nothing below its seq), and its stats block counts the rows.
     */
    static void assertCompactedSst(SstReader reader, List<RowEntry> rows, CompressionCodec codec, int minFilterKeys) {
        String at = reader.path();
        Futures.join(reader.verify());
        assertEquals(SstType.COMPACTED, reader.info().type(), at);
        assertEquals(codec, reader.info().compression(), at);
        assertEquals(2, reader.blockFormat().sstFormatVersion(), at);
        assertTrue(!rows.isEmpty(), at + " has rows");
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(Arrays.compareUnsigned(rows.get(i - 1).key(), rows.get(i).key()) < 0,
                    at + ": one row per key, in key order, at row " + i);
        }
        assertArrayEquals(rows.get(0).key(), reader.info().firstEntry(), at);
        assertArrayEquals(rows.get(rows.size() - 1).key(), reader.info().lastEntry(), at);

        assertEquals(rows.size() >= minFilterKeys, reader.info().hasFilter(), at + ": filter from min_filter_keys");
        assertEquals(FilterFormat.LEGACY, reader.info().filterFormat(), at);
        if (reader.info().hasFilter()) {
            assertTrue(Futures.join(reader.loadFilter()).isPresent(), at + ": the filter decodes");
        }
        for (RowEntry row : rows) {
            assertTrue(Futures.join(reader.mightContain(row.key())), at + ": the filter passes " + row);
            assertEquals(row, Futures.join(reader.get(row.key())), at);
            if (row.seq() > 0) {
                assertNull(Futures.join(reader.get(row.key(), row.seq() - 1)), at + ": no older version of " + row);
            }
        }

        SstStats stats = Futures.join(reader.stats()).orElseThrow(() -> new AssertionError(at + " has no stats"));
        assertEquals(count(rows, ValueKind.VALUE), stats.numPuts(), at);
        assertEquals(count(rows, ValueKind.TOMBSTONE), stats.numDeletes(), at);
        assertEquals(count(rows, ValueKind.MERGE_OPERAND), stats.numMerges(), at);
        assertEquals(rows.stream().mapToLong(r -> r.key().length).sum(), stats.rawKeySize(), at);
        assertEquals(rows.stream().mapToLong(RowEntry::valueLength).sum(), stats.rawValueSize(), at);
        assertEquals(reader.index().blockCount(), stats.blocks().size(), at);
    }

    private static long count(List<RowEntry> rows, ValueKind kind) {
        return rows.stream().filter(r -> r.kind() == kind).count();
    }
}
