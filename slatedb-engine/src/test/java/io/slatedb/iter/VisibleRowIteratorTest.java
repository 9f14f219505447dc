package io.slatedb.iter;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.sst.RowEntry;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class VisibleRowIteratorTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<RowEntry> visible(List<RowEntry> versions, long maxSeq) {
        return new VisibleRowIterator(new ListRowIterator(versions), maxSeq).collectRemaining().join();
    }

    @Test
    void returnsTheNewestVersionAtOrBelowMaxSeqAndHidesDeletedKeys() {
        RowEntry a9 = RowEntry.value(bytes("a"), bytes("a9"), 9);
        RowEntry a5 = RowEntry.tombstone(bytes("a"), 5);
        RowEntry a2 = RowEntry.value(bytes("a"), bytes("a2"), 2);
        RowEntry b7 = RowEntry.tombstone(bytes("b"), 7);
        RowEntry c3 = RowEntry.value(bytes("c"), bytes("c3"), 3);
        List<RowEntry> versions = List.of(a9, a5, a2, b7, c3);
        assertEquals(List.of(a9, c3), visible(versions, -1L));
        assertEquals(List.of(c3), visible(versions, 8));
        assertEquals(List.of(c3), visible(versions, 5));
        assertEquals(List.of(a2, c3), visible(versions, 4));
        assertEquals(List.of(), visible(versions, 1));
    }

    @Test
    void expiredRowsAreReturned() {
        RowEntry expired = RowEntry.value(bytes("k"), bytes("v"), 1).withExpireTs(1);
        assertEquals(List.of(expired), visible(List.of(expired), -1L));
    }

    @Test
    void aMergeOperandAsTheNewestVisibleVersionFailsAsInvalid() {
        List<RowEntry> versions = List.of(RowEntry.value(bytes("a"), bytes("v"), 1),
                RowEntry.mergeOperand(bytes("b"), bytes("+1"), 4), RowEntry.value(bytes("b"), bytes("v"), 2));
        VisibleRowIterator rows = new VisibleRowIterator(new ListRowIterator(versions), -1L);
        assertEquals(versions.get(0), rows.next().join());
        SlateDbException error = assertThrows(SlateDbException.class, () -> Futures.join(rows.next()));
        assertEquals(ErrorKind.INVALID, error.kind());
        assertTrue(error.getMessage().contains("merge operator missing"), error.getMessage());
        assertThrows(SlateDbException.class, () -> Futures.join(rows.next()));
        // Below the operand the value is the newest version: nothing to merge.
        assertEquals(List.of(versions.get(0), versions.get(2)), visible(versions, 3));
    }

    @Test
    void manyHiddenVersionsAreSkippedWithoutGrowingTheStack() {
        List<RowEntry> versions = new ArrayList<>();
        versions.add(RowEntry.tombstone(bytes("a"), 300_001));
        for (int seq = 300_000; seq > 0; seq--) {
            versions.add(RowEntry.value(bytes("a"), bytes("old"), seq));
        }
        RowEntry last = RowEntry.value(bytes("b"), bytes("v"), 1);
        versions.add(last);
        assertEquals(List.of(last), visible(versions, -1L));
    }

    @Test
    void rowsArrivingOnOtherThreadsGiveTheSameResult() {
        var executor = Executors.newSingleThreadExecutor();
        try {
            List<RowEntry> versions = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                versions.add(i % 3 == 0 ? RowEntry.tombstone(bytes("k" + i), 2) : RowEntry.value(bytes("k" + i), bytes("v"), 2));
                versions.add(RowEntry.value(bytes("k" + i), bytes("old"), 1));
            }
            versions.sort(RowEntry.KEY_ASC_SEQ_DESC);
            List<RowEntry> expected = visible(versions, -1L);
            assertEquals(expected, new VisibleRowIterator(new ListRowIterator(versions, executor), -1L)
                    .collectRemaining().join());
        } finally {
            executor.shutdownNow();
        }
    }
    // ---------------------------------------------------------------- with a merge operator

    private static final io.slatedb.MergeOperator CONCAT = (key, existing, operand) -> existing == null ? operand
            : (new String(existing, StandardCharsets.US_ASCII) + new String(operand, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);

    private static List<String> folded(List<RowEntry> versions, long maxSeq, java.util.concurrent.Executor executor) {
        ListRowIterator source = executor == null ? new ListRowIterator(versions) : new ListRowIterator(versions, executor);
        return new VisibleRowIterator(source, maxSeq, CONCAT).collectRemaining().join().stream()
                .map(r -> new String(r.key(), StandardCharsets.US_ASCII) + "=" + r.kind() + ":"
                        + new String(r.value(), StandardCharsets.US_ASCII) + "@" + r.seq()).toList();
    }

    @Test
    void operandsFoldOntoTheNewestVisibleValueOrTombstoneAsAValueRow() {
        List<RowEntry> versions = List.of(
                RowEntry.mergeOperand(bytes("a"), bytes("c"), 9),
                RowEntry.mergeOperand(bytes("a"), bytes("b"), 7),
                RowEntry.value(bytes("a"), bytes("v"), 5),
                RowEntry.mergeOperand(bytes("a"), bytes("x"), 3),
                RowEntry.mergeOperand(bytes("b"), bytes("1"), 6),
                RowEntry.tombstone(bytes("b"), 4),
                RowEntry.value(bytes("b"), bytes("old"), 2),
                RowEntry.mergeOperand(bytes("c"), bytes("z"), 8));
        assertEquals(List.of("a=VALUE:vbc@9", "b=VALUE:1@6", "c=VALUE:z@8"), folded(versions, -1L, null));
        assertEquals(List.of("a=VALUE:vb@7", "b=VALUE:1@6"), folded(versions, 7, null));
        assertEquals(List.of("a=VALUE:x@3", "b=VALUE:old@2"), folded(versions, 3, null));
    }

    @Test
    void theSameOperandFromTwoSourcesIsAppliedOnce() {
        RowEntry operand = RowEntry.mergeOperand(bytes("a"), bytes("b"), 7);
        List<RowEntry> versions = List.of(operand, operand, RowEntry.value(bytes("a"), bytes("v"), 5),
                RowEntry.value(bytes("a"), bytes("v"), 5));
        assertEquals(List.of("a=VALUE:vb@7"), folded(versions, -1L, null));
    }

    @Test
    void foldsGiveTheSameResultWhenRowsArriveOnOtherThreads() {
        var executor = Executors.newSingleThreadExecutor();
        try {
            List<RowEntry> versions = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                for (int seq = 4; seq > 0; seq--) {
                    versions.add(seq == 1 && i % 2 == 0 ? RowEntry.value(bytes("k" + i), bytes("v"), seq)
                            : RowEntry.mergeOperand(bytes("k" + i), bytes(String.valueOf(seq)), seq));
                }
            }
            List<String> expected = folded(versions, -1L, null);
            assertEquals("k0=VALUE:v234@4", expected.get(0));
            assertEquals("k1=VALUE:1234@4", expected.get(1));
            assertEquals(expected, folded(versions, -1L, executor));
        } finally {
            executor.shutdownNow();
        }
    }
}
