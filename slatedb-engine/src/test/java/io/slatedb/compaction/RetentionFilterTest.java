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
    void keysWithMergeOperandsKeepEveryVersion() {
        List<RowEntry> versions = List.of(RowEntry.mergeOperand(KEY, new byte[]{1}, 9), put(5), put(2));
        assertEquals(versions, new RetentionFilter(10, 0, true, null).retain(versions));
    }

    @Test
    void sequenceNumbersCompareUnsigned() {
        RetentionFilter filter = new RetentionFilter(-1L, 0, false, null); // the largest unsigned value
        assertEquals(List.of(put(-2L)), filter.retain(List.of(put(-2L), put(5))));
    }
}
