package io.slatedb.reader;

import io.slatedb.testing.ReadRecordingStore;
import io.slatedb.CorruptObjectException;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class TableStoreTest {
    private static final String ROOT = "db";
    /** Small blocks, a filter, and a first read far smaller than the SST, so block reads go to the store. */
    private static final SstWriterOptions SMALL_BLOCKS = SstWriterOptions.DEFAULTS.withBlockSize(256).withMinFilterKeys(0);
    private static final TableStoreOptions SMALL_FIRST_READ = TableStoreOptions.DEFAULTS.withInitialReadSize(512);
    private static final int ROWS = 400;

    private static byte[] key(int i) {
        return String.format("key-%05d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<RowEntry> rows() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowEntry.value(key(i), ("value-" + i).getBytes(StandardCharsets.US_ASCII), i + 1));
        }
        return rows;
    }

    private final ReadRecordingStore store = new ReadRecordingStore();
    private final SstView sst = Ssts.write(store, ROOT, rows(), SMALL_BLOCKS, null);
    private final String path = DbLayout.of(ROOT).compactedSstPath(sst.sst().id());

    private ReadView view(TableStore tables) {
        return ReadView.of(List.of(), new LsmTree(null, null, List.of(sst), List.of()), tables.paths(List.of()));
    }

    @Test
    void aSecondGetOfTheSameKeyIsServedByTheBlockCache() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ);
        LsmReader reader = new LsmReader(tables);
        ReadView view = view(tables);
        assertEquals(rows().get(123), reader.get(view, key(123), -1L, GetParams.DEFAULTS).join());
        assertEquals(0, tables.blockCacheCounters().hits());
        assertEquals(1, tables.blockCacheCounters().misses());
        int reads = store.readsOf(path);

        assertEquals(rows().get(123), reader.get(view, key(123), -1L, GetParams.DEFAULTS).join());
        assertEquals(1, tables.blockCacheCounters().hits());
        assertEquals(1, tables.blockCacheCounters().misses());
        assertEquals(reads, store.readsOf(path), "nothing read from the store");
        assertEquals(1, tables.cachedBlockCount());
    }

    @Test
    void readsWithoutCacheBlocksUseTheCacheButDoNotFillIt() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ);
        LsmReader reader = new LsmReader(tables);
        ReadView view = view(tables);
        GetParams noCaching = new GetParams(false);
        reader.get(view, key(7), -1L, noCaching).join();
        int reads = store.readsOf(path);
        reader.get(view, key(7), -1L, noCaching).join();
        assertEquals(reads + 1, store.readsOf(path), "the block is read again");
        assertEquals(0, tables.cachedBlockCount());
        assertEquals(2, tables.blockCacheCounters().misses());

        reader.get(view, key(7), -1L, GetParams.DEFAULTS).join();
        assertEquals(1, tables.cachedBlockCount());
        reader.get(view, key(7), -1L, noCaching).join();
        assertEquals(1, tables.blockCacheCounters().hits(), "a non-caching read still uses a cached block");
    }

    @Test
    void aZeroBlockCacheBudgetCachesNothingAndLooksNothingUp() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ.withDataCacheBytes(0));
        LsmReader reader = new LsmReader(tables);
        ReadView view = view(tables);
        assertEquals(rows().get(42), reader.get(view, key(42), -1L, GetParams.DEFAULTS).join());
        int reads = store.readsOf(path);
        assertEquals(rows().get(42), reader.get(view, key(42), -1L, GetParams.DEFAULTS).join());
        assertEquals(reads + 1, store.readsOf(path), "the block is read from the store again");
        try (LsmScan scan = reader.scan(view, io.slatedb.sst.KeyRange.all(), -1L, ScanParams.DEFAULTS.withCacheBlocks(true))) {
            assertEquals(rows(), scan.collectRemaining().join());
        }
        assertEquals(0, tables.cachedBlockCount());
        assertEquals(0, tables.blockCacheCounters().hits(), "no lookups: there is no cache");
        assertEquals(0, tables.blockCacheCounters().misses(), "no lookups: there is no cache");
        assertTrue(tables.metaCacheCounters().hits() >= 1, "the metadata cache still serves later opens");
    }

    @Test
    void aRecordIsComparedWithTheSstOncePerOpeningAndAMismatchFailsEveryTime() {
        TableStore tables = new TableStore(store, ROOT);
        TableRef record = new TableRef(sst, path, null);
        CompletableFuture<SstHandle> first = tables.open(record);
        SstHandle handle = first.join();
        assertTrue(record.checked());
        assertSame(handle.asFuture(), tables.open(record), "a matched record gets the cached opening as it is");

        SstInfo info = sst.sst().info();
        SstInfo otherFirstKey = new SstInfo(key(1), info.indexOffset(), info.indexLength(), info.filterOffset(),
                info.filterLength(), info.compression(), info.type(), info.lastEntry(), info.statsOffset(),
                info.statsLength(), info.filterFormat());
        TableRef wrong = new TableRef(new SstView(sst.id(), new CompactedSst(sst.sst().id(), otherFirstKey,
                sst.sst().formatVersion()), sst.visibleRange()), path, null);
        for (int attempt = 0; attempt < 2; attempt++) {
            CompletionException e = assertThrows(CompletionException.class, () -> tables.open(wrong).join());
            assertInstanceOf(CorruptObjectException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("the first key differs"), e.getCause().getMessage());
        }
        assertFalse(wrong.checked());
        assertSame(handle.asFuture(), tables.open(record));
    }

    @Test
    void aMatchedRecordServesItsOpeningOnlyToTheTableStoreThatOpenedIt() {
        SstCaches shared = new SstCaches(1 << 20, 1 << 20);
        TableStore mine = new TableStore(store, ROOT, TableStoreOptions.DEFAULTS, shared);
        TableStore other = new TableStore(store, ROOT, TableStoreOptions.DEFAULTS, shared);
        TableRef record = new TableRef(sst, path, null);
        SstHandle handle = mine.open(record).join();
        assertSame(handle, record.matchedHandle());
        for (int get = 0; get < 3; get++) {
            assertSame(handle.asFuture(), mine.open(record), "served from the record");
        }
        assertEquals(3, mine.metaCacheCounters().hits(), "each counts as the cache hit it stands for");
        assertEquals(1, mine.metaCacheCounters().misses());

        // Another table store's cache entries, and blocks, are its own: it opens the SST itself.
        SstHandle others = other.open(record).join();
        assertTrue(others != handle, "a separate opening");
        assertEquals(1, other.metaCacheCounters().misses());
        assertSame(others, record.matchedHandle(), "the record now keeps the later match");
        assertSame(handle, mine.open(record).join(), "the first table store finds its own in its cache");
        assertEquals(4, mine.metaCacheCounters().hits());
    }

    @Test
    void metadataIsCachedWhateverTheReadsSayAboutBlocks() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ);
        LsmReader reader = new LsmReader(tables);
        ReadView view = view(tables);
        GetParams noCaching = new GetParams(false);
        reader.get(view, key(1), -1L, noCaching).join();
        int afterFirst = store.readsOf(path);
        assertTrue(afterFirst >= 3, "tail, the rest of the index or info, filter and a block: " + afterFirst);
        reader.get(view, key(300), -1L, noCaching).join();
        assertEquals(afterFirst + 1, store.readsOf(path), "only the data block is read again");
        assertEquals(1, tables.metaCacheCounters().misses());
        assertEquals(1, tables.metaCacheCounters().hits());
        // The bloom filter answers for absent keys without reading any block.
        assertEquals(null, reader.get(view, "absent".getBytes(StandardCharsets.US_ASCII), -1L, noCaching).join());
        assertEquals(afterFirst + 1, store.readsOf(path));
    }

    @Test
    void scansFillTheBlockCacheOnlyWhenAsked() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ);
        LsmReader reader = new LsmReader(tables);
        ReadView view = view(tables);
        try (LsmScan scan = reader.scan(view, io.slatedb.sst.KeyRange.all(), -1L, ScanParams.DEFAULTS)) {
            assertEquals(rows(), scan.collectRemaining().join());
        }
        assertEquals(0, tables.cachedBlockCount());
        try (LsmScan scan = reader.scan(view, io.slatedb.sst.KeyRange.all(), -1L, ScanParams.DEFAULTS.withCacheBlocks(true))) {
            assertEquals(rows(), scan.collectRemaining().join());
        }
        int blocks = tables.open(path).join().layout().blockCount();
        assertTrue(blocks > 10, "the SST spans many blocks: " + blocks);
        assertEquals(blocks, tables.cachedBlockCount());
    }

    @Test
    void readAheadFetchesSeveralBlocksPerRead() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ);
        LsmReader reader = new LsmReader(tables);
        ReadView view = view(tables);
        SstHandle handle = tables.open(path).join();
        int blocks = handle.layout().blockCount();
        long averageBlock = handle.layout().dataEnd() / blocks;

        int before = store.readsOf(path);
        assertEquals(rows(), reader.scan(view, io.slatedb.sst.KeyRange.all(), -1L, ScanParams.DEFAULTS)
                .collectRemaining().join());
        assertEquals(blocks, store.readsOf(path) - before, "one block per read");

        before = store.readsOf(path);
        ScanParams fourBlocks = ScanParams.DEFAULTS.withReadAheadBytes(4 * averageBlock);
        assertEquals(rows(), reader.scan(view, io.slatedb.sst.KeyRange.all(), -1L, fourBlocks).collectRemaining().join());
        assertEquals((blocks + 3) / 4, store.readsOf(path) - before, "four blocks per read");
    }

    @Test
    void parallelFetchesReturnTheSameRowsWithoutExtraReads() {
        ExecutorService completions = Executors.newSingleThreadExecutor();
        try {
            ReadRecordingStore asyncStore = new ReadRecordingStore(completions);
            SstView asyncSst = Ssts.write(asyncStore, ROOT, rows(), SMALL_BLOCKS, null);
            String asyncPath = DbLayout.of(ROOT).compactedSstPath(asyncSst.sst().id());
            TableStore tables = new TableStore(asyncStore, ROOT, SMALL_FIRST_READ);
            ReadView view = ReadView.of(List.of(), new LsmTree(null, null, List.of(asyncSst), List.of()),
                    tables.paths(List.of()));
            int blocks = tables.open(asyncPath).join().layout().blockCount();
            int before = asyncStore.readsOf(asyncPath);
            ScanParams params = ScanParams.DEFAULTS.withMaxFetchTasks(4).withReadAheadBytes(600);
            assertEquals(rows().subList(10, 390), new LsmReader(tables).scan(view,
                    io.slatedb.sst.KeyRange.halfOpen(key(10), key(390)), -1L, params).collectRemaining().join());
            int reads = asyncStore.readsOf(asyncPath) - before;
            assertTrue(reads > 1 && reads < blocks, "batched reads, none past the range: " + reads + " of " + blocks);
        } finally {
            completions.shutdownNow();
        }
    }

    @Test
    void aWalSstIsNeverReadAsACompactedOne() {
        Ulid id = Ssts.freshId();
        SstBuilder wal = SstBuilder.wal(SstWriterOptions.DEFAULTS);
        wal.add(RowEntry.value(key(1), new byte[1], 1));
        String walPath = DbLayout.of(ROOT).compactedSstPath(id);
        store.put(walPath, wal.build().bytes()).join();
        TableStore tables = new TableStore(store, ROOT);
        SlateDbException error = assertThrows(SlateDbException.class, () -> Futures.join(tables.open(walPath)));
        assertEquals(ErrorKind.DATA, error.kind());
        assertTrue(error instanceof CorruptObjectException);
    }

    @Test
    void theMetadataCacheWeighsAnSstByWhatItKeepsInMemory() {
        long objectSize = new TableStore(store, ROOT).open(path).join().layout().objectSize();
        assertTrue(objectSize < 64 * 1024);
        // A first read that covers the object keeps all of it; a smaller one keeps the index and filter.
        SstHandle whole = new TableStore(store, ROOT).open(path).join();
        assertTrue(whole.retainedBytes() >= objectSize, whole.retainedBytes() + " for " + objectSize);
        SstHandle tail = new TableStore(store, ROOT, SMALL_FIRST_READ).open(path).join();
        long indexAndFilter = tail.layout().info().indexLength() + tail.layout().info().filterLength();
        assertTrue(tail.retainedBytes() >= indexAndFilter && tail.retainedBytes() < objectSize,
                tail.retainedBytes() + " for " + objectSize);
    }

    @Test
    void concurrentOpensOfOneSstShareOneHandle() {
        TableStore tables = new TableStore(store, ROOT, SMALL_FIRST_READ);
        SstHandle first = tables.open(path).join();
        assertSame(first, tables.open(path).join());
        assertEquals(1, tables.metaCacheCounters().misses());
        assertEquals(1, tables.metaCacheCounters().hits());
    }
}
