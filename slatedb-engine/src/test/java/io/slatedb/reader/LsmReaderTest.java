package io.slatedb.reader;

import io.slatedb.testing.ReadRecordingStore;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.memtable.Memtable;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class LsmReaderTest {
    private static final String ROOT = "db";
    private static final SstWriterOptions WITH_FILTER = SstWriterOptions.DEFAULTS.withMinFilterKeys(0);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private final ReadRecordingStore store = new ReadRecordingStore();
    private final TableStore tables = new TableStore(store, ROOT);
    private final LsmReader reader = new LsmReader(tables);

    private String pathOf(SstView view) {
        return DbLayout.of(ROOT).compactedSstPath(view.sst().id());
    }

    @Test
    void newerSourcesWinAndTheSearchStopsAtTheFirstSourceWithAVersion() {
        SstView run = Ssts.write(store, ROOT, List.of(RowEntry.value(bytes("a"), bytes("run"), 1),
                RowEntry.value(bytes("b"), bytes("run"), 1), RowEntry.value(bytes("c"), bytes("run"), 1)), WITH_FILTER, null);
        SstView l0 = Ssts.write(store, ROOT, List.of(RowEntry.value(bytes("a"), bytes("l0"), 5),
                RowEntry.tombstone(bytes("b"), 5)), WITH_FILTER, null);
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.tombstone(bytes("a"), 9));
        memtable.put(RowEntry.value(bytes("c"), bytes("mem"), 9));
        ReadView view = ReadView.of(List.of(memtable),
                new LsmTree(null, null, List.of(l0), List.of(new SortedRun(0, List.of(run)))), tables.paths(List.of()));

        assertNull(reader.get(view, bytes("a"), -1L, GetParams.DEFAULTS).join());
        assertEquals(RowEntry.value(bytes("a"), bytes("l0"), 5), reader.get(view, bytes("a"), 8, GetParams.DEFAULTS).join());
        assertNull(reader.get(view, bytes("b"), -1L, GetParams.DEFAULTS).join());
        assertEquals(0, store.readsOf(pathOf(run)), "newer sources answered every get so far");
        // Below every newer version, the search goes on to the sorted run.
        assertEquals(RowEntry.value(bytes("a"), bytes("run"), 1), reader.get(view, bytes("a"), 4, GetParams.DEFAULTS).join());
        assertTrue(store.readsOf(pathOf(run)) > 0);
        assertEquals(RowEntry.value(bytes("c"), bytes("mem"), 9), reader.get(view, bytes("c"), -1L, GetParams.DEFAULTS).join());
        assertEquals(RowEntry.value(bytes("c"), bytes("run"), 1), reader.get(view, bytes("c"), 8, GetParams.DEFAULTS).join());
        assertEquals(List.of(RowEntry.value(bytes("c"), bytes("mem"), 9)),
                reader.scan(view, KeyRange.all(), -1L, ScanParams.DEFAULTS).collectRemaining().join());
        assertEquals(List.of(RowEntry.value(bytes("a"), bytes("l0"), 5), RowEntry.value(bytes("c"), bytes("run"), 1)),
                reader.scan(view, KeyRange.all(), 8, ScanParams.DEFAULTS).collectRemaining().join());
    }

    @Test
    void bloomFiltersSkipSstsThatCannotHoldTheKey() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(RowEntry.value(bytes(String.format("k%04d", i * 2)), bytes("v"), 1));
        }
        SstView sst = Ssts.write(store, ROOT, rows, WITH_FILTER.withBlockSize(512), null);
        TableStore smallReads = new TableStore(store, ROOT, TableStoreOptions.DEFAULTS.withInitialReadSize(1024));
        LsmReader lsm = new LsmReader(smallReads);
        ReadView view = ReadView.of(List.of(), new LsmTree(null, null, List.of(sst), List.of()), smallReads.paths(List.of()));
        assertEquals(rows.get(10), lsm.get(view, bytes("k0020"), -1L, GetParams.DEFAULTS).join());
        int reads = store.readsOf(pathOf(sst));
        for (int i = 0; i < 200; i++) {
            // Odd keys lie between the SST's keys: only the filter can rule them out.
            assertNull(lsm.get(view, bytes(String.format("k%04d", i * 2 + 1)), -1L, GetParams.DEFAULTS).join());
        }
        int falsePositives = store.readsOf(pathOf(sst)) - reads;
        assertTrue(falsePositives < 20, "blocks read for absent keys: " + falsePositives);
    }

    @Test
    void foldingMergeOperandsReadsOnlyTheSstsWhoseFilterMayHoldTheKey() {
        List<RowEntry> others = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            others.add(RowEntry.value(bytes(String.format("k%04d", i * 2)), bytes("v"), 2));
        }
        SstView unrelated = Ssts.write(store, ROOT, others, WITH_FILTER.withBlockSize(512), null);
        SstView base = Ssts.write(store, ROOT, List.of(RowEntry.value(bytes("k0001"), bytes("a"), 1)), WITH_FILTER, null);
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.mergeOperand(bytes("k0001"), bytes("b"), 3));
        TableStore smallReads = new TableStore(store, ROOT, TableStoreOptions.DEFAULTS.withInitialReadSize(1024));
        LsmReader lsm = new LsmReader(smallReads, (key, existing, operand) -> concat(existing, operand));
        ReadView view = ReadView.of(List.of(memtable),
                new LsmTree(null, null, List.of(unrelated), List.of(new SortedRun(0, List.of(base)))),
                smallReads.paths(List.of()));
        // Opens the unrelated SST and loads its filter.
        assertNull(lsm.get(view, bytes("k0003"), -1L, GetParams.DEFAULTS).join());
        int reads = store.readsOf(pathOf(unrelated));

        RowEntry folded = lsm.get(view, bytes("k0001"), -1L, GetParams.DEFAULTS).join();

        assertEquals("ab", new String(folded.value(), StandardCharsets.US_ASCII));
        assertEquals(3, folded.seq());
        assertEquals(reads, store.readsOf(pathOf(unrelated)), "the filter rules the unrelated SST out");
        // A scan of a wider range still reads it.
        assertEquals(501, lsm.scan(view, KeyRange.all(), -1L, ScanParams.DEFAULTS).collectRemaining().join().size());
    }

    private static byte[] concat(byte[] existing, byte[] operand) {
        byte[] first = existing == null ? new byte[0] : existing;
        byte[] joined = java.util.Arrays.copyOf(first, first.length + operand.length);
        System.arraycopy(operand, 0, joined, first.length, operand.length);
        return joined;
    }

    @Test
    void sstsOfAParentDatabaseAreReadFromItsRoot() {
        SstView parentSst = Ssts.write(store, "parent", List.of(RowEntry.value(bytes("p"), bytes("from parent"), 1)),
                WITH_FILTER, null);
        SstView ownSst = Ssts.write(store, ROOT, List.of(RowEntry.value(bytes("q"), bytes("own"), 2)), WITH_FILTER, null);
        List<ExternalDb> externals = List.of(new ExternalDb("parent", new UUID(0, 1), null, List.of(parentSst.sst().id())));
        SstPaths paths = tables.paths(externals);
        assertEquals("parent/compacted/" + parentSst.sst().id() + ".sst", paths.pathOf(parentSst.sst().id()));
        assertEquals("db/compacted/" + ownSst.sst().id() + ".sst", paths.pathOf(ownSst.sst().id()));
        assertEquals(paths.pathOf(parentSst.sst().id()), tables.pathOf(parentSst.sst().id(), externals));

        ReadView view = ReadView.of(List.of(), new LsmTree(null, null, List.of(ownSst, parentSst), List.of()), paths);
        assertEquals(RowEntry.value(bytes("p"), bytes("from parent"), 1), reader.get(view, bytes("p"), -1L, GetParams.DEFAULTS).join());
        assertEquals(2, reader.scan(view, KeyRange.all(), -1L, ScanParams.DEFAULTS).collectRemaining().join().size());
    }

    @Test
    void aVisibleRangeHidesTheRestOfAnSst() {
        SstView sst = Ssts.write(store, ROOT, List.of(RowEntry.value(bytes("a"), bytes("v"), 1),
                RowEntry.value(bytes("b"), bytes("v"), 1), RowEntry.value(bytes("c"), bytes("v"), 1)), WITH_FILTER,
                new io.slatedb.manifest.KeyRange(KeyBound.included(bytes("b")), KeyBound.excluded(bytes("c"))));
        ReadView view = ReadView.of(List.of(), new LsmTree(null, null, List.of(), List.of(new SortedRun(3, List.of(sst)))),
                tables.paths(List.of()));
        assertNull(reader.get(view, bytes("a"), -1L, GetParams.DEFAULTS).join());
        assertNull(reader.get(view, bytes("c"), -1L, GetParams.DEFAULTS).join());
        assertEquals(List.of(RowEntry.value(bytes("b"), bytes("v"), 1)),
                reader.scan(view, KeyRange.all(), -1L, ScanParams.DEFAULTS).collectRemaining().join());
    }

    @Test
    void mergeOperandsFailAsInvalidWithoutAMergeOperator() {
        SstView sst = Ssts.write(store, ROOT, List.of(RowEntry.mergeOperand(bytes("m"), bytes("+1"), 3),
                RowEntry.value(bytes("m"), bytes("base"), 1)), WITH_FILTER, null);
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.mergeOperand(bytes("n"), bytes("+1"), 4));
        ReadView view = ReadView.of(List.of(memtable), new LsmTree(null, null, List.of(sst), List.of()), tables.paths(List.of()));
        for (String key : List.of("m", "n")) {
            SlateDbException error = assertThrows(SlateDbException.class,
                    () -> Futures.join(reader.get(view, bytes(key), -1L, GetParams.DEFAULTS)));
            assertEquals(ErrorKind.INVALID, error.kind());
            assertTrue(error.getMessage().contains("merge operator missing"), error.getMessage());
        }
        SlateDbException scanError = assertThrows(SlateDbException.class,
                () -> Futures.join(reader.scan(view, KeyRange.all(), -1L, ScanParams.DEFAULTS).collectRemaining()));
        assertEquals(ErrorKind.INVALID, scanError.kind());
        // Below the operand, the newest version is a plain value.
        assertEquals(RowEntry.value(bytes("m"), bytes("base"), 1), reader.get(view, bytes("m"), 2, GetParams.DEFAULTS).join());
    }

    @Test
    void aClosedScanFailsAsInvalid() {
        Memtable memtable = new Memtable();
        memtable.put(RowEntry.value(bytes("a"), bytes("v"), 1));
        LsmScan scan = reader.scan(ReadView.ofMemtables(List.of(memtable)), KeyRange.all(), -1L, ScanParams.DEFAULTS);
        scan.close();
        SlateDbException error = assertThrows(SlateDbException.class, () -> Futures.join(scan.next()));
        assertEquals(ErrorKind.INVALID, error.kind());
    }

    @Test
    void prefixScansReturnExactlyTheKeysWithThePrefix() {
        Memtable memtable = new Memtable();
        for (String key : List.of("a", "ab", "ab\u00ff", "abc", "ac", "b")) {
            memtable.put(RowEntry.value(key.getBytes(StandardCharsets.ISO_8859_1), bytes("v"), 1));
        }
        ReadView view = ReadView.ofMemtables(List.of(memtable));
        List<RowEntry> rows = reader.scanPrefix(view, bytes("ab"), -1L, ScanParams.DEFAULTS).collectRemaining().join();
        assertEquals(List.of("ab", "abc", "ab\u00ff"),
                rows.stream().map(r -> new String(r.key(), StandardCharsets.ISO_8859_1)).toList());
    }

    /**
     * One thread writes to the memtable of a view that also has an SST below it, publishing each
     * sequence number after inserting its row; readers get and scan at the published number and must
     * see exactly the rows at or below it.
     */
    @Test
    void readersAtACommittedSeqSeeExactlyWhatWasCommitted() throws Exception {
        int keys = 50;
        int rows = 20_000;
        List<RowEntry> base = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            base.add(RowEntry.value(key(k), value(0), 0));
        }
        SstView sst = Ssts.write(store, ROOT, base, WITH_FILTER.withBlockSize(256), null);
        Memtable memtable = new Memtable();
        ReadView view = ReadView.of(List.of(memtable), new LsmTree(null, null, List.of(sst), List.of()), tables.paths(List.of()));
        AtomicLong committed = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (long seq = 1; seq <= rows; seq++) {
                    memtable.put(RowEntry.value(key((int) (seq % keys)), value(seq), seq));
                    committed.set(seq);
                }
            }, threads);
            List<CompletableFuture<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(CompletableFuture.supplyAsync(() -> readWhileWriting(view, committed, keys, rows), threads));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> r : readers) {
                assertTrue(r.get(60, TimeUnit.SECONDS) > 0);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private int readWhileWriting(ReadView view, AtomicLong committed, int keys, int rows) {
        int checks = 0;
        long maxSeq;
        do {
            maxSeq = committed.get();
            int k = (int) ((maxSeq * 7 + checks) % keys);
            RowEntry row = reader.get(view, key(k), maxSeq, GetParams.DEFAULTS).join();
            assertEquals(newest(k, maxSeq, keys), ByteBuffer.wrap(row.value()).getLong(), "get at " + maxSeq);
            if (checks % 100 == 0) {
                List<RowEntry> all = reader.scan(view, KeyRange.all(), maxSeq, ScanParams.DEFAULTS).collectRemaining().join();
                assertEquals(keys, all.size());
                for (RowEntry r : all) {
                    int rk = ByteBuffer.wrap(r.key()).getInt();
                    assertEquals(newest(rk, maxSeq, keys), ByteBuffer.wrap(r.value()).getLong(), "scan at " + maxSeq);
                }
            }
            checks++;
        } while (maxSeq < rows);
        return checks;
    }

    /** The newest seq at or below maxSeq written to key k (0 for the SST's base version). */
    private static long newest(int k, long maxSeq, int keys) {
        long s = maxSeq - ((maxSeq - k) % keys + keys) % keys;
        return s >= 1 ? s : 0;
    }

    private static byte[] key(int k) {
        return ByteBuffer.allocate(4).putInt(k).array();
    }

    private static byte[] value(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

}
