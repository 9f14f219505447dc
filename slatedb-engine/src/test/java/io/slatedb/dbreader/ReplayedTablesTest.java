package io.slatedb.dbreader;

import io.slatedb.memtable.MemtableView;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalFile;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The reader's replayed tables: table sizes, skipping rows L0 holds, and pruning at a new last_l0_seq. */
class ReplayedTablesTest {

    private static RowEntry row(String key, long seq) {
        return RowEntry.value(key.getBytes(StandardCharsets.UTF_8), ("v" + seq).getBytes(StandardCharsets.UTF_8), seq);
    }

    /** A WAL file {@code id} with one row per sequence number in {@code [from, to]}. */
    private static WalFile file(long id, long from, long to) {
        List<RowEntry> rows = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            rows.add(row("k" + (seq % 7), seq));
        }
        return new WalFile(id, rows);
    }

    private static List<Long> seqs(ReplayedTables tables) {
        List<Long> seqs = new ArrayList<>();
        for (MemtableView table : tables.newestFirst()) {
            RowIterator rows = table.scan(KeyRange.all(), -1L);
            for (RowEntry r = Futures.join(rows.next()); r != null; r = Futures.join(rows.next())) {
                seqs.add(r.seq());
            }
        }
        seqs.sort(Long::compare);
        return seqs;
    }

    @Test
    @Timeout(10)
    void skipsRowsL0HoldsAndTracksTheLastFileAndSequence() {
        ReplayedTables tables = new ReplayedTables(1 << 20, 4, 12);
        tables.add(file(5, 10, 14));
        tables.add(new WalFile(6, List.of())); // a fence
        assertEquals(List.of(13L, 14L), seqs(tables));
        assertEquals(6, tables.lastWalId());
        assertEquals(14, tables.lastSeq());
    }

    @Test
    @Timeout(10)
    void closesATableAtTheSizeLimitOnFileBoundaries() {
        ReplayedTables tables = new ReplayedTables(1, 0, 0);
        tables.add(file(1, 1, 3));
        tables.add(file(2, 4, 4));
        assertEquals(2, tables.tableCount(), "every file fills a table of one byte");
        assertEquals(List.of(4L), seqs(single(tables.newestFirst().get(0))));
    }

    private static ReplayedTables single(MemtableView view) {
        ReplayedTables t = new ReplayedTables(1 << 20, 0, 0);
        RowIterator rows = view.scan(KeyRange.all(), -1L);
        List<RowEntry> all = new ArrayList<>();
        for (RowEntry r = Futures.join(rows.next()); r != null; r = Futures.join(rows.next())) {
            all.add(r);
        }
        all.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        t.add(new WalFile(1, all));
        return t;
    }

    @Test
    @Timeout(10)
    void pruneDropsCoveredTablesFiltersStraddlingOnesAndMovesTheReplayPoint() {
        ReplayedTables tables = new ReplayedTables(200, 0, 0);
        for (int id = 1; id <= 6; id++) {
            tables.add(file(id, (id - 1) * 5L + 1, id * 5L));
        }
        int before = tables.tableCount();
        tables.prune(17, 3);
        List<Long> expected = new ArrayList<>();
        for (long seq = 18; seq <= 30; seq++) {
            expected.add(seq);
        }
        assertEquals(expected, seqs(tables));
        assertEquals(6, tables.lastWalId(), "files already read are not read again");
        assertEquals(30, tables.lastSeq());
        assertEquals(true, tables.tableCount() <= before);

        tables.prune(40, 9);
        assertEquals(List.of(), seqs(tables));
        assertEquals(40, tables.lastSeq(), "L0 is ahead of the replay");
        assertEquals(9, tables.lastWalId(), "replay continues after the manifest's replay point");
    }

    @Test
    @Timeout(10)
    void aReadStartedBeforeAPruneKeepsItsTables() {
        ReplayedTables tables = new ReplayedTables(1 << 20, 0, 0);
        tables.add(file(1, 1, 4));
        List<MemtableView> old = tables.newestFirst();
        tables.prune(2, 1);
        tables.add(file(2, 5, 5));
        assertEquals(4, old.get(0).get("k4".getBytes(StandardCharsets.UTF_8), 4).seq());
        assertNull(old.get(0).get("k5".getBytes(StandardCharsets.UTF_8), 4), "rows added later stay above the old read's sequence");
    }

    /** Whatever the table size and prune point, the rows left are exactly those above the L0 watermark. */
    @Property(tries = 200)
    void pruneKeepsExactlyTheRowsAboveTheWatermark(@ForAll @IntRange(min = 1, max = 400) int tableBytes,
                                                    @ForAll @IntRange(min = 1, max = 12) int files,
                                                    @ForAll @IntRange(min = 0, max = 70) int watermark) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> checkPrune(tableBytes, files, watermark));
    }

    private static void checkPrune(int tableBytes, int files, int watermark) {
        ReplayedTables tables = new ReplayedTables(tableBytes, 0, 0);
        for (int id = 1; id <= files; id++) {
            tables.add(file(id, (id - 1) * 5L + 1, id * 5L));
        }
        tables.prune(watermark, 0);
        List<Long> expected = new ArrayList<>();
        for (long seq = watermark + 1; seq <= files * 5L; seq++) {
            expected.add(seq);
        }
        assertEquals(expected, seqs(tables));
        assertEquals(Math.max(watermark, files * 5L), tables.lastSeq());
    }
}
