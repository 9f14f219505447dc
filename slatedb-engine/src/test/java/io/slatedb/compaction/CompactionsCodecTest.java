package io.slatedb.compaction;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.Ulid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code .compactions} codec against objects SlateDB 0.12.1's compactor wrote (golden files). */
@Timeout(10)
class CompactionsCodecTest {
    private static final String DIR = "/golden/rust-0.12.1/compacted/store/db/compactions/";

    private static byte[] golden(long id) throws IOException {
        try (InputStream in = CompactionsCodecTest.class.getResourceAsStream(DIR + String.format("%020d.compactions", id))) {
            return in.readAllBytes();
        }
    }

    private static CompactionsState decode(long id) throws IOException {
        return CompactionsCodec.INSTANCE.decode("compactions/" + id, golden(id));
    }

    @Test
    void decodesTheLifeOfTwoCompactionsAsSlateDbWroteIt() throws IOException {
        assertEquals(CompactionsState.INITIAL, decode(1));
        assertEquals(new CompactionsState(1, List.of()), decode(2));
        CompactionRecord first = decode(4).recent().get(0);
        assertEquals(CompactionStatus.SUBMITTED, first.status());
        assertEquals(2, first.l0ViewIds().size());
        assertEquals(List.of(), first.sortedRuns());
        assertEquals(first.withStatus(CompactionStatus.RUNNING), decode(5).recent().get(0));
        assertEquals(first.withStatus(CompactionStatus.COMPLETED), decode(6).recent().get(0));
        CompactionsState both = decode(7);
        assertEquals(List.of(CompactionStatus.COMPLETED, CompactionStatus.SUBMITTED),
                both.recent().stream().map(CompactionRecord::status).toList());
        CompactionRecord second = both.recent().get(1);
        // Once the second finishes only it is kept; a restarted compactor (epoch 2) keeps it too.
        assertEquals(new CompactionsState(1, List.of(second.withStatus(CompactionStatus.COMPLETED))), decode(9));
        assertEquals(new CompactionsState(2, List.of(second.withStatus(CompactionStatus.COMPLETED))), decode(10));
    }

    @Test
    void encodesByteForByteWhatSlateDbWrote() throws IOException {
        for (long id = 1; id <= 11; id++) {
            byte[] rust = golden(id);
            assertArrayEquals(rust, CompactionsCodec.INSTANCE.encode(CompactionsCodec.INSTANCE.decode("c", rust)),
                    "compactions " + id);
        }
    }

    @Test
    void keepsRunningEntriesAndTheNewestFinishedOne() {
        CompactionRecord a = new CompactionRecord(Ulid.of(1, 0, 1), List.of(), List.of(3L, 2L), CompactionStatus.COMPLETED);
        CompactionRecord b = new CompactionRecord(Ulid.of(2, 0, 2), List.of(Ulid.of(9, 0, 9)), List.of(), CompactionStatus.RUNNING);
        CompactionRecord c = new CompactionRecord(Ulid.of(3, 0, 3), List.of(), List.of(7L), CompactionStatus.RUNNING);
        CompactionsState state = CompactionsState.INITIAL.with(a).with(b).with(c).with(c.withStatus(CompactionStatus.FAILED));
        assertEquals(List.of(b, c.withStatus(CompactionStatus.FAILED)), state.recent());
        assertEquals(state, CompactionsCodec.INSTANCE.decode("c", CompactionsCodec.INSTANCE.encode(state)));
        assertEquals(List.of(c.withStatus(CompactionStatus.FAILED)), state.abandonUnfinished().recent());
    }

    @Test
    void rejectsOtherVersionsAndGarbage() {
        assertThrows(CorruptObjectException.class, () -> CompactionsCodec.INSTANCE.decode("c", new byte[]{0, 2, 0, 0, 0, 0}));
        assertThrows(CorruptObjectException.class, () -> CompactionsCodec.INSTANCE.decode("c", new byte[]{0, 1}));
        assertThrows(CorruptObjectException.class,
                () -> CompactionsCodec.INSTANCE.decode("c", new byte[]{0, 1, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2}));
    }
}
