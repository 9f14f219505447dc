package io.slatedb.compaction;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.ValueKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class RetentionFilterTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    private static RowEntry put(long seq) {
        return RowEntry.value(KEY, ("v" + seq).getBytes(StandardCharsets.UTF_8), seq);
    }

    private static RowEntry del(long seq) {
        return RowEntry.tombstone(KEY, seq);
    }

    @Test
    void onlyTheNewestVersionAtOrBelowTheRetentionPointIsKept() {
        RetentionFilter filter = new RetentionFilter(10, 0, false, null);
        assertEquals(List.of(put(9)), filter.retain(List.of(put(9), put(5), put(1))));
    }

    @Test
    void versionsAboveTheRetentionPointAreAllKept() {
        RetentionFilter filter = new RetentionFilter(10, 0, false, null);
        assertEquals(List.of(put(14), put(12), put(8)), filter.retain(List.of(put(14), put(12), put(8), put(3))));
    }

    @Test
    void aTombstoneStaysUnlessTheOutputIsTheOldestRun() {
        List<RowEntry> versions = List.of(del(9), put(5));
        assertEquals(List.of(del(9)), new RetentionFilter(10, 0, false, null).retain(versions));
        assertEquals(List.of(), new RetentionFilter(10, 0, true, null).retain(versions));
    }

    @Test
    void aTombstoneAboveTheRetentionPointStaysEvenInTheOldestRun() {
        assertEquals(List.of(del(12), put(5)), new RetentionFilter(10, 0, true, null).retain(List.of(del(12), put(5), put(2))));
    }

    @Test
    void anExpiredValueBecomesATombstoneAndGoesLikeOne() {
        RowEntry expiring = put(7).withCreateTs(100).withExpireTs(200);
        RowEntry tombstone = new RowEntry(KEY, ValueKind.TOMBSTONE, null, 7, OptionalLong.of(100), OptionalLong.empty());
        assertEquals(List.of(tombstone), new RetentionFilter(10, 200, false, null).retain(List.of(expiring, put(3))));
        assertEquals(List.of(), new RetentionFilter(10, 200, true, null).retain(List.of(expiring, put(3))));
        assertEquals(List.of(expiring), new RetentionFilter(10, 199, true, null).retain(List.of(expiring, put(3))));
    }

    @Test
    void withoutAnOperatorKeysWithMergeOperandsKeepEveryVersion() {
        List<RowEntry> versions = List.of(RowEntry.mergeOperand(KEY, new byte[]{1}, 9), put(5), put(2));
        assertEquals(versions, new RetentionFilter(10, 0, true, null).retain(versions));
    }

    @Test
    void sequenceNumbersCompareUnsigned() {
        RetentionFilter filter = new RetentionFilter(-1L, 0, false, null); // the largest unsigned value
        assertEquals(List.of(put(-2L)), filter.retain(List.of(put(-2L), put(5))));
    }
    // ---------------------------------------------------------------- with a merge operator

    private static final io.slatedb.MergeOperator CONCAT = (key, existing, operand) -> existing == null ? operand
            : (new String(existing, StandardCharsets.UTF_8) + new String(operand, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);

    private static RowEntry op(long seq, String operand) {
        return RowEntry.mergeOperand(KEY, operand.getBytes(StandardCharsets.UTF_8), seq);
    }

    private static RowEntry folded(ValueKind kind, long seq, String value) {
        return new RowEntry(KEY, kind, value.getBytes(StandardCharsets.UTF_8), seq, OptionalLong.empty(), OptionalLong.empty());
    }

    @Test
    void operandsAtOrBelowTheRetentionPointFoldOntoTheValueAndThoseAboveStay() {
        RetentionFilter filter = new RetentionFilter(10, 0, false, CONCAT);
        assertEquals(List.of(op(12, "c"), folded(ValueKind.VALUE, 9, "v5ab")),
                filter.retain(List.of(op(12, "c"), op(9, "b"), op(7, "a"), put(5), put(2))));
    }

    @Test
    void withoutABaseTheFoldStaysAnOperandUnlessTheOutputIsTheOldestRun() {
        List<RowEntry> versions = List.of(op(9, "b"), op(7, "a"));
        assertEquals(List.of(folded(ValueKind.MERGE_OPERAND, 9, "ab")), new RetentionFilter(10, 0, false, CONCAT).retain(versions));
        assertEquals(List.of(folded(ValueKind.VALUE, 9, "ab")), new RetentionFilter(10, 0, true, CONCAT).retain(versions));
    }

    @Test
    void aTombstoneBelowOperandsFoldsAsNoExistingValue() {
        assertEquals(List.of(folded(ValueKind.VALUE, 9, "b")),
                new RetentionFilter(10, 0, false, CONCAT).retain(List.of(op(9, "b"), del(7), put(3))));
    }

    @Test
    void aDifferentExpiryTimeEndsTheFoldSoTheFoldExpiresWithItsInputs() {
        RowEntry expiring = op(9, "b").withExpireTs(1000);
        RowEntry result = new RowEntry(KEY, ValueKind.MERGE_OPERAND, "b".getBytes(StandardCharsets.UTF_8), 9,
                OptionalLong.empty(), OptionalLong.of(1000));
        assertEquals(List.of(result, folded(ValueKind.VALUE, 7, "v5a")),
                new RetentionFilter(10, 0, false, CONCAT).retain(List.of(expiring, op(7, "a"), put(5), put(2))));
    }

    @Test
    void anExpiredOperandIsDroppedAndTheVersionBelowItStays() {
        RowEntry expired = op(9, "b").withExpireTs(100);
        assertEquals(List.of(put(5)), new RetentionFilter(10, 100, false, CONCAT).retain(List.of(expired, put(5), put(2))));
        assertEquals(List.of(op(12, "c"), put(5)),
                new RetentionFilter(10, 100, false, CONCAT).retain(List.of(op(12, "c"), op(11, "x").withExpireTs(50), put(5))));
    }

    @Test
    void theFoldTakesTheLatestCreationTimeAndTheEarliestExpiryTime() {
        RowEntry newer = op(9, "b").withCreateTs(20).withExpireTs(500);
        RowEntry older = op(8, "a").withCreateTs(10).withExpireTs(500);
        RowEntry base = put(5).withCreateTs(5).withExpireTs(500);
        RowEntry result = new RowEntry(KEY, ValueKind.VALUE, "v5ab".getBytes(StandardCharsets.UTF_8), 9,
                OptionalLong.of(20), OptionalLong.of(500));
        assertEquals(List.of(result), new RetentionFilter(10, 0, false, CONCAT).retain(List.of(newer, older, base)));
    }
}
