package io.slatedb.iter;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class SortedRunIteratorTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A table of rows with an optional visible range. */
    private record Table(List<RowEntry> rows, KeyRange visibleRange) implements RunTable {
        @Override
        public byte[] startKey() {
            byte[] first = rows.get(0).key();
            return visibleRange != null && visibleRange.start() != null
                    && java.util.Arrays.compareUnsigned(visibleRange.start(), first) > 0 ? visibleRange.start() : first;
        }
    }

    private static Table table(KeyRange visible, String... keys) {
        List<RowEntry> rows = new ArrayList<>();
        for (String key : keys) {
            rows.add(RowEntry.value(bytes(key), bytes(key), 1));
        }
        return new Table(rows, visible);
    }

    private static final class Opens implements SortedRunIterator.TableScanner<Table> {
        final List<Integer> opened = new ArrayList<>();
        final List<Table> tables;

        Opens(List<Table> tables) {
            this.tables = tables;
        }

        @Override
        public CompletableFuture<RowIterator> scan(Table table, KeyRange range) {
            opened.add(tables.indexOf(table));
            return CompletableFuture.completedFuture(new ListRowIterator(
                    table.rows().stream().filter(r -> range.contains(r.key())).toList()));
        }
    }

    private static List<String> keys(List<RowEntry> rows) {
        return rows.stream().map(r -> new String(r.key(), StandardCharsets.US_ASCII)).toList();
    }

    @Test
    void theIndexRuleCountsTablesStartingStrictlyBelowTheKey() {
        List<Table> run = List.of(table(null, "b", "c"), table(null, "e", "f"), table(null, "f", "g"), table(null, "k"));
        assertEquals(0, SortedRunIterator.firstTableFor(run, bytes("a")));
        assertEquals(0, SortedRunIterator.firstTableFor(run, bytes("b")));
        assertEquals(0, SortedRunIterator.firstTableFor(run, bytes("d")));
        assertEquals(0, SortedRunIterator.firstTableFor(run, bytes("e")));
        assertEquals(1, SortedRunIterator.firstTableFor(run, bytes("ea")));
        // "f" may continue from table 1 into table 2, which starts at it: start at table 1.
        assertEquals(1, SortedRunIterator.firstTableFor(run, bytes("f")));
        assertEquals(2, SortedRunIterator.firstTableFor(run, bytes("h")));
        assertEquals(3, SortedRunIterator.firstTableFor(run, bytes("z")));
    }

    @Test
    void opensOnlyTheTablesTheRangeReachesOneAtATime() {
        List<Table> run = List.of(table(null, "a", "b"), table(null, "c", "d"), table(null, "e", "f"), table(null, "g"));
        Opens opens = new Opens(run);
        SortedRunIterator<Table> rows = new SortedRunIterator<>(run, KeyRange.halfOpen(bytes("d"), bytes("f")), opens);
        assertEquals(List.of(), opens.opened);
        assertEquals("d", new String(rows.next().join().key(), StandardCharsets.US_ASCII));
        assertEquals(List.of(1), opens.opened);
        assertEquals(List.of("e"), keys(rows.collectRemaining().join()));
        assertEquals(List.of(1, 2), opens.opened);
    }

    @Test
    void rowsOutsideATablesVisibleRangeAreNotReturned() {
        List<Table> run = List.of(table(KeyRange.halfOpen(bytes("b"), bytes("c")), "a", "b", "bb"),
                table(KeyRange.closed(bytes("c"), bytes("c")), "c", "d"), table(null, "e"));
        Opens opens = new Opens(run);
        assertEquals(List.of("b", "bb", "c", "e"),
                keys(new SortedRunIterator<>(run, KeyRange.all(), opens).collectRemaining().join()));
        // A range that misses the visible part of a table does not open it.
        Opens narrow = new Opens(run);
        assertEquals(List.of(), keys(new SortedRunIterator<>(run, KeyRange.closed(bytes("ca"), bytes("d")), narrow)
                .collectRemaining().join()));
        assertEquals(List.of(), narrow.opened);
    }
}
