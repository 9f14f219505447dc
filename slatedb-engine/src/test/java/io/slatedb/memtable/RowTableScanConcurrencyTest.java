package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers scan a memtable from end to end while one writer adds rows, each with a new key that sorts
 * anywhere (a 12-byte stem shared by every key, then a scrambled number, so the inlined prefix never
 * decides the order), and enough of them to fill several skip-list and arena pages. A scan at a
 * published sequence number must return exactly the rows at or below it, each intact, in key order.
 */
class RowTableScanConcurrencyTest {
    private static final int ROWS = 40_000;
    private static final int READERS = 2;
    private static final byte[] STEM = "shared-stem-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static byte[] key(long seq) {
        // A bijection of the sequence number, so keys arrive in random order and never repeat.
        long scrambled = (seq * 0x9E3779B97F4A7C15L) ^ 0x5DEECE66DL;
        return ByteBuffer.allocate(STEM.length + 8).put(STEM).putLong(scrambled).array();
    }

    private static byte[] value(long seq) {
        byte[] value = new byte[(int) (seq % 50)];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (seq + i);
        }
        return value;
    }

    @Test
    @Timeout(120)
    void fullScansAreExactSnapshotsAtTheirMaxSeq() throws Exception {
        Memtable memtable = new Memtable();
        AtomicLong committed = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(READERS + 1);
        try {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (long seq = 1; seq <= ROWS; seq++) {
                    memtable.put(RowEntry.value(key(seq), value(seq), seq));
                    committed.set(seq);
                }
            }, threads);
            List<CompletableFuture<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(CompletableFuture.supplyAsync(() -> scanUntilDone(memtable, committed), threads));
            }
            writer.get(120, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> reader : readers) {
                assertTrue(reader.get(120, TimeUnit.SECONDS) > 0, "every reader checked a scan");
            }
            // After the writer is done, one last scan sees everything.
            assertEquals(ROWS, checkScan(memtable, ROWS));
        } finally {
            threads.shutdownNow();
        }
    }

    private static int scanUntilDone(Memtable memtable, AtomicLong committed) {
        int scans = 0;
        long maxSeq;
        do {
            maxSeq = committed.get();
            assertEquals(maxSeq, checkScan(memtable, maxSeq));
            scans++;
        } while (maxSeq < ROWS);
        return scans;
    }

    /** Scans everything at {@code maxSeq}, checks each row and the order; returns the number of rows. */
    private static long checkScan(Memtable memtable, long maxSeq) {
        RowIterator rows = memtable.scan(KeyRange.all(), maxSeq);
        RowEntry previous = null;
        long count = 0;
        for (RowEntry row = rows.next().join(); row != null; row = rows.next().join()) {
            assertTrue(Long.compareUnsigned(row.seq(), maxSeq) <= 0, "row above maxSeq");
            assertEquals(RowEntry.value(key(row.seq()), value(row.seq()), row.seq()), row);
            if (previous != null) {
                assertTrue(RowEntry.KEY_ASC_SEQ_DESC.compare(previous, row) < 0, "rows out of order");
            }
            previous = row;
            count++;
        }
        return count;
    }
}
