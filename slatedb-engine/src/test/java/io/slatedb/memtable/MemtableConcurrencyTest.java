package io.slatedb.memtable;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
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
 * One writer fills a memtable and publishes each sequence number after inserting its row, as the
 * writer marks a batch committed after applying it; readers read at the published number. Row
 * {@code s} has key {@code s % KEYS} and value {@code s}, so every reader knows exactly what it must see.
 */
class MemtableConcurrencyTest {
    private static final int ROWS = 60_000;
    private static final int KEYS = 97;
    private static final int READERS = 3;

    private static byte[] key(long seq) {
        return ByteBuffer.allocate(4).putInt((int) (seq % KEYS)).array();
    }

    private static long valueOf(RowEntry row) {
        return ByteBuffer.wrap(row.value()).getLong();
    }

    @Test
    @Timeout(60)
    void readersSeeExactlyTheRowsAtOrBelowTheirMaxSeq() throws Exception {
        Memtable memtable = new Memtable();
        AtomicLong committed = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(READERS + 1);
        try {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (long seq = 1; seq <= ROWS; seq++) {
                    memtable.put(RowEntry.value(key(seq), ByteBuffer.allocate(8).putLong(seq).array(), seq));
                    committed.set(seq);
                }
            }, threads);
            List<CompletableFuture<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                readers.add(CompletableFuture.supplyAsync(() -> read(memtable, committed, reader), threads));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> reader : readers) {
                assertTrue(reader.get(60, TimeUnit.SECONDS) > 0, "every reader checked something");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Reads until the writer is done; returns how many reads it checked. */
    private static int read(Memtable memtable, AtomicLong committed, int reader) {
        int checks = 0;
        long maxSeq;
        do {
            maxSeq = committed.get();
            long probe = maxSeq == 0 ? 1 : 1 + (maxSeq * 31 + reader) % maxSeq;
            // get: the newest row of the key at or below maxSeq.
            RowEntry row = memtable.get(key(probe), maxSeq);
            long expected = newestAtOrBelow(probe % KEYS, maxSeq);
            assertEquals(expected, row == null ? 0 : valueOf(row), "get at " + maxSeq);
            if (checks % 50 == 0) {
                // scan of one key: every version at or below maxSeq, newest first, nothing above it.
                byte[] k = key(probe);
                List<RowEntry> versions = memtable.scan(KeyRange.point(k), maxSeq).collectRemaining().join();
                long next = expected;
                for (RowEntry version : versions) {
                    assertEquals(next, valueOf(version), "scan at " + maxSeq);
                    next -= KEYS;
                }
                assertTrue(next <= 0, "scan at " + maxSeq + " missed versions below " + next);
            }
            checks++;
        } while (maxSeq < ROWS);
        return checks;
    }

    /** The highest s <= maxSeq with s % KEYS == key, or 0. */
    private static long newestAtOrBelow(long key, long maxSeq) {
        long s = maxSeq - ((maxSeq - key) % KEYS + KEYS) % KEYS;
        return s >= 1 ? s : 0;
    }
}
