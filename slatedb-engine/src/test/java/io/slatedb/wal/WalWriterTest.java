package io.slatedb.wal;

import io.slatedb.CloseReason;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class WalWriterTest {
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(backing);
    private final DbLayout layout = DbLayout.of("db");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService uploads = Executors.newSingleThreadExecutor();
    private final List<long[]> written = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        uploads.shutdownNow();
        store.close();
    }

    private WalWriter writer(long firstId, long threshold, Duration interval) {
        return new WalWriter(store, layout, SstWriterOptions.DEFAULTS, firstId, 0, threshold, interval, scheduler,
                uploads, (id, lastSeq, bytes) -> written.add(new long[] {id, lastSeq}));
    }

    private static List<RowEntry> batch(long seq, String... keysAndValues) {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            byte[] key = keysAndValues[i].getBytes(StandardCharsets.UTF_8);
            rows.add(keysAndValues[i + 1] == null ? RowEntry.tombstone(key, seq).withCreateTs(1000 + seq)
                    : RowEntry.value(key, keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8), seq)
                    .withCreateTs(1000 + seq));
        }
        return rows;
    }

    private List<WalFile> readAll(long first, long last) {
        WalReplay replay = new WalReplay(store, layout, first, last, 4);
        List<WalFile> files = new ArrayList<>();
        for (WalFile f = Futures.join(replay.next()); f != null; f = Futures.join(replay.next())) {
            files.add(f);
        }
        return files;
    }

    @Test
    void flushWritesBufferedBatchesAsOneFileInSeqOrder() {
        WalWriter wal = writer(2, 1 << 20, null);
        wal.append(batch(1, "a", "1", "b", "1"));
        wal.append(batch(2, "a", null));
        CompletableFuture<Void> durable2 = wal.awaitDurable(2);
        assertFalse(durable2.isDone());

        Futures.join(wal.flush());

        assertTrue(durable2.isDone());
        assertEquals(2, wal.durableSeq());
        assertEquals(2, wal.lastWrittenWalId());
        assertEquals(3, wal.nextWalId());
        List<WalFile> files = readAll(2, 2);
        List<RowEntry> expected = new ArrayList<>(batch(1, "a", "1", "b", "1"));
        expected.addAll(batch(2, "a", null));
        assertEquals(expected, files.get(0).rows());
        assertEquals(1, written.size());
        assertEquals(0, wal.unflushedBytes());
    }

    @Test
    void anEmptyBufferIsNeverWritten() {
        WalWriter wal = writer(2, 1 << 20, null);
        Futures.join(wal.flush());
        Futures.join(wal.flush());
        assertEquals(List.of(), store.calls(Operation.PUT));
        assertEquals(1, wal.lastWrittenWalId());
    }

    @Test
    void filesAreWrittenInIdOrderWithContiguousIds() {
        WalWriter wal = writer(5, 1 << 20, null);
        for (long seq = 1; seq <= 20; seq++) {
            wal.append(batch(seq, "k" + seq, "v" + seq));
            if (seq % 3 == 0) {
                wal.flush();
            }
        }
        Futures.join(wal.flush());
        List<WalFile> files = readAll(5, wal.lastWrittenWalId());
        assertEquals(7, files.size());
        long expectedSeq = 1;
        for (WalFile file : files) {
            for (RowEntry row : file.rows()) {
                assertEquals(expectedSeq++, row.seq());
            }
        }
        assertEquals(21, expectedSeq);
        List<Long> ids = written.stream().map(w -> w[0]).toList();
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L, 11L), ids);
    }

    @Test
    void reachingTheSizeThresholdFreezesTheBufferWithoutAFlushCall() {
        WalWriter wal = writer(2, 200, null);
        String big = "x".repeat(300);
        wal.append(batch(1, "k", big));
        Futures.join(wal.awaitDurable(1).orTimeout(10, TimeUnit.SECONDS));
        assertEquals(2, wal.lastWrittenWalId());
    }

    @Test
    void theIntervalFlushMakesWritesDurable() {
        WalWriter wal = writer(2, 1 << 20, Duration.ofMillis(10));
        wal.append(batch(1, "k", "v"));
        Futures.join(wal.awaitDurable(1).orTimeout(10, TimeUnit.SECONDS));
        assertEquals(1, wal.durableSeq());
    }

    @Test
    void aBatchIsNeverSplitAcrossFiles() {
        WalWriter wal = writer(2, 50, null);
        wal.append(batch(1, "a", "x".repeat(40), "b", "x".repeat(40), "c", "x".repeat(40)));
        Futures.join(wal.flush());
        List<WalFile> files = readAll(2, wal.lastWrittenWalId());
        assertEquals(1, files.size());
        assertEquals(3, files.get(0).rows().size());
    }

    @Test
    void findingTheNextIdTakenMeansFenced() {
        Futures.join(WalObjects.writeFence(backing, layout, 3, SstWriterOptions.DEFAULTS)); // a newer writer's fence
        WalWriter wal = writer(2, 1 << 20, null);
        wal.append(batch(1, "a", "1"));
        Futures.join(wal.flush());
        wal.append(batch(2, "b", "2"));
        CompletableFuture<Void> durable = wal.awaitDurable(2);

        assertFenced(() -> Futures.join(wal.flush()));
        assertFenced(() -> Futures.join(durable));
        assertFenced(() -> wal.append(batch(3, "c", "3")));
        assertFenced(() -> Futures.join(wal.awaitDurable(3)));
        // The newer writer's fence is untouched.
        assertEquals(List.of(), Futures.join(WalObjects.read(backing, layout, 3)).orElseThrow().rows());
    }

    @Test
    void aFailedWriteStopsTheWriterWithoutSkippingAnId() {
        WalWriter wal = writer(2, 1 << 20, null);
        store.inject(FaultRule.on(Operation.PUT, Fault.failPermanently()).once());
        wal.append(batch(1, "a", "1"));
        SlateDbException e = assertThrows(SlateDbException.class, () -> Futures.join(wal.flush()));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("db/wal/00000000000000000002.sst"), e.getMessage());
        SlateDbException later = assertThrows(SlateDbException.class, () -> wal.append(batch(2, "b", "2")));
        assertEquals(ErrorKind.UNAVAILABLE, later.kind());
        assertEquals(List.of(), Futures.join(backing.listAll("db/wal/")));
    }

    @Test
    void closeFlushesAndLaterAppendsFailAsClosed() {
        WalWriter wal = writer(2, 1 << 20, Duration.ofHours(1));
        wal.append(batch(1, "a", "1"));
        wal.close();
        assertEquals(1, wal.durableSeq());
        SlateDbException e = assertThrows(SlateDbException.class, () -> wal.append(batch(2, "b", "2")));
        assertEquals(ErrorKind.CLOSED, e.kind());
        assertEquals(CloseReason.CLEAN, e.closeReason());
    }

    @Test
    void aBatchOutOfKeyOrderIsRejectedAtOnce() {
        WalWriter wal = writer(2, 1 << 20, null);
        SlateDbException e = assertThrows(SlateDbException.class, () -> wal.append(batch(1, "b", "1", "a", "1")));
        assertEquals(ErrorKind.INTERNAL, e.kind());
        wal.append(batch(1, "a", "1"));
        Futures.join(wal.flush());
        assertEquals(1, wal.durableSeq());
    }

    @Test
    void appendsMustHaveIncreasingSequenceNumbers() {
        WalWriter wal = writer(2, 1 << 20, null);
        wal.append(batch(5, "a", "1"));
        SlateDbException e = assertThrows(SlateDbException.class, () -> wal.append(batch(5, "b", "1")));
        assertEquals(ErrorKind.INTERNAL, e.kind());
    }

    private static void assertFenced(Runnable action) {
        SlateDbException e = assertThrows(SlateDbException.class, action::run);
        assertEquals(ErrorKind.CLOSED, e.kind(), e.toString());
        assertEquals(CloseReason.FENCED, e.closeReason());
    }
}
