package io.slatedb.wal;

import io.slatedb.WalTruncatedException;
import io.slatedb.format.DbLayout;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class WalTailAndReplayTest {
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(backing);
    private final DbLayout layout = DbLayout.of("db");

    @AfterEach
    void close() {
        store.close();
    }

    private void writeWal(long id, long seq) {
        RowEntry row = RowEntry.value(("k" + seq).getBytes(StandardCharsets.UTF_8), new byte[] {1}, seq).withCreateTs(seq);
        Futures.join(backing.put(layout.walSstPath(id), WalObjects.encode(List.of(row), SstWriterOptions.DEFAULTS)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 7, 8, 9, 255, 256, 257, 1000})
    void theTailIsTheLastOfAContiguousRun(long count) {
        long after = 10;
        for (long i = 1; i <= count; i++) {
            writeWal(after + i, i);
        }
        store.clearCalls();
        assertEquals(after + count, Futures.join(WalTail.lastWalId(store, layout, after)));
        assertTrue(store.calls(Operation.HEAD).size() <= 8 * 2 + 12, "probing is logarithmic: " + store.calls().size());
        assertEquals(List.of(), store.calls(Operation.LIST));
    }

    @Test
    void replayReadsEveryFileInOrderAndFencesAsEmpty() {
        Futures.join(WalObjects.writeFence(backing, layout, 1, SstWriterOptions.DEFAULTS));
        writeWal(2, 1);
        Futures.join(backing.put(layout.walSstPath(3), new byte[0])); // a zero-byte fence (SlateDB 0.13+)
        writeWal(4, 2);
        WalReplay replay = new WalReplay(store, layout, 1, 4, 2);
        assertEquals(List.of(), Futures.join(replay.next()).rows());
        assertEquals(1, Futures.join(replay.next()).lastSeq());
        WalFile fence = Futures.join(replay.next());
        assertEquals(3, fence.id());
        assertEquals(List.of(), fence.rows());
        assertEquals(2, Futures.join(replay.next()).lastSeq());
        assertNull(Futures.join(replay.next()));
    }

    @Test
    void aMissingFileInTheRangeIsATruncation() {
        writeWal(1, 1);
        writeWal(3, 3);
        WalReplay replay = new WalReplay(store, layout, 1, 3, 4);
        assertEquals(1, Futures.join(replay.next()).id());
        WalTruncatedException e = assertThrows(WalTruncatedException.class, () -> Futures.join(replay.next()));
        assertEquals(2, e.walId());
        assertTrue(e.getMessage().contains("db/wal/00000000000000000002.sst"));
    }

    @Test
    void anEmptyRangeReadsNothing() {
        assertNull(Futures.join(new WalReplay(store, layout, 5, 4, 4).next()));
        assertEquals(List.of(), store.calls());
    }
}
