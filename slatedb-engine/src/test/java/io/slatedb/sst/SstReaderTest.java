package io.slatedb.sst;

import io.slatedb.testing.ReadRecordingStore;
import io.slatedb.CorruptObjectException;
import io.slatedb.format.BigEndian;
import io.slatedb.CompressionCodec;
import io.slatedb.store.ByteRange;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.TransientObjectStoreException;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ForkJoinPool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SstReaderTest {
    private static final String PATH = "db/compacted/01ARZ3NDEKTSV4RRFFQ69G5FAV.sst";

    private static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<RowEntry> rows(int count) {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowEntry.value(key(i), ("value-" + i).getBytes(StandardCharsets.US_ASCII), 1000 + i).withCreateTs(i));
        }
        return rows;
    }

    private static byte[] compacted(List<RowEntry> rows, SstWriterOptions options) {
        SstBuilder builder = SstBuilder.compacted(options);
        rows.forEach(builder::add);
        return builder.build().bytes();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(Exception.class, () -> Futures.join(future));
    }

    @Test
    void aSmallSstIsReadWithOneGet() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        List<RowEntry> rows = rows(300);
        store.put(PATH, compacted(rows, SstWriterOptions.DEFAULTS.withMinFilterKeys(10))).join();
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH));
        assertEquals(rows, reader.iterator().collectRemaining().join());
        assertEquals(rows.get(7), reader.get(key(7)).join());
        Futures.join(reader.verify());
        assertEquals(List.of(ByteRange.suffix(64 * 1024)), store.ranges());
    }

    /** Opening reads of this size reach the index of a 20,000-row SST, but not its filter. */
    private static final SstReaderOptions SHORT_OF_THE_FILTER = SstReaderOptions.DEFAULTS.withInitialReadSize(8 * 1024);

    @Test
    void aLargeSstIsOpenedWithOneGetAndReadByRanges() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        List<RowEntry> rows = rows(20_000);
        byte[] bytes = compacted(rows, SstWriterOptions.DEFAULTS);
        assertTrue(bytes.length > 200_000);
        store.put(PATH, bytes).join();
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH, SHORT_OF_THE_FILTER));
        assertEquals(1, store.reads(), "footer, info and index come with the first read");
        assertTrue(reader.info().hasFilter());

        assertEquals(rows.get(12_345), reader.get(key(12_345)).join());
        assertEquals(3, store.reads(), "the filter, then one data block");
        byte[] absent = "absent".getBytes(StandardCharsets.US_ASCII);
        boolean ruledOut = !reader.mightContain(absent).join();
        assertNull(reader.get(absent).join());
        assertEquals(ruledOut ? 3 : 4, store.reads(), "the filter is read once; a key it rules out costs nothing");
        assertEquals(rows.subList(100, 200),
                reader.scan(KeyRange.halfOpen(key(100), key(200))).collectRemaining().join());
    }

    @Test
    void aShortFirstReadReachesBackForTheInfoAndIndex() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        List<RowEntry> rows = rows(2000);
        store.put(PATH, compacted(rows, SstWriterOptions.DEFAULTS)).join();
        SstReaderOptions options = SstReaderOptions.DEFAULTS.withInitialReadSize(16);
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH, options));
        assertEquals(3, store.reads(), "tail, then info, then index");
        assertEquals(rows, reader.iterator().collectRemaining().join());
    }

    @Test
    void objectsOfAtMostTenBytesAreEmptySsts() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        store.put("wal/00000000000000000001.sst", new byte[0]).join();
        store.put("wal/00000000000000000002.sst", new byte[10]).join();
        store.put("wal/00000000000000000003.sst", new byte[11]).join();
        assertEquals(new SstOpenResult.Empty("wal/00000000000000000001.sst", 0),
                Futures.join(SstReader.open(store, "wal/00000000000000000001.sst")));
        assertEquals(new SstOpenResult.Empty("wal/00000000000000000002.sst", 10),
                Futures.join(SstReader.open(store, "wal/00000000000000000002.sst")));
        assertInstanceOf(CorruptObjectException.class,
                failure(SstReader.open(store, "wal/00000000000000000003.sst")));
        CorruptObjectException e = assertInstanceOf(CorruptObjectException.class,
                failure(SstReader.openRequired(store, "wal/00000000000000000001.sst")));
        assertEquals("wal/00000000000000000001.sst", e.objectPath());
        assertInstanceOf(SstOpenResult.Empty.class, SstReader.fromBytes("x", new byte[3]));
    }

    @Test
    void storeErrorsAreNotCorruption() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        assertInstanceOf(ObjectNotFoundException.class, failure(SstReader.open(store, "missing.sst")));
    }

    @Test
    void aFilterTheOpeningReadCoversIsNotReadAgain() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        List<RowEntry> rows = rows(20_000);
        store.put(PATH, compacted(rows, SstWriterOptions.DEFAULTS)).join();
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH));
        assertTrue(reader.info().hasFilter());
        CompletableFuture<Optional<BloomFilter>> filter = reader.loadFilter();
        assertTrue(filter.isDone() && filter.join().isPresent(), "the filter came with the opening read");

        CompletableFuture<RowEntry> found = reader.get(key(12_345));
        assertEquals(rows.get(12_345), found.join());
        assertEquals(2, store.reads(), "the opening read, then one data block");
        assertNull(reader.get("absent".getBytes(StandardCharsets.US_ASCII)).join());
        assertEquals(reader.mightContain("absent".getBytes(StandardCharsets.US_ASCII)).join() ? 3 : 2,
                store.reads(), "a key the filter rules out costs nothing");
    }

    @Test
    void aCorruptFilterInTheOpeningReadFailsTheFirstGetAsALazyReadWould() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        byte[] bytes = compacted(rows(20_000), SstWriterOptions.DEFAULTS);
        SstInfo info = SstReader.fromBytesRequired(PATH, bytes).info();
        bytes[(int) info.filterOffset() + 3] ^= 0x55;
        store.put(PATH, bytes).join();
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH));
        CorruptObjectException e = assertInstanceOf(CorruptObjectException.class, failure(reader.get(key(1))));
        assertEquals(PATH, e.objectPath());
    }

    @Test
    void aFailedFilterReadCanBeRetried() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        List<RowEntry> rows = rows(20_000);
        store.put(PATH, compacted(rows, SstWriterOptions.DEFAULTS)).join();
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH, SHORT_OF_THE_FILTER));
        store.failNextReads(1);
        assertInstanceOf(TransientObjectStoreException.class, failure(reader.mightContain(key(5))));
        assertTrue(reader.mightContain(key(5)).join());
        CompletableFuture<?> loaded = reader.loadFilter();
        assertSame(loaded, reader.loadFilter(), "a loaded filter is kept");
    }

    @Test
    void aFailedIteratorStaysFailed() {
        ReadRecordingStore store = new ReadRecordingStore(ForkJoinPool.commonPool());
        store.put(PATH, compacted(rows(20_000), SstWriterOptions.DEFAULTS)).join();
        SstReader reader = Futures.join(SstReader.openRequired(store, PATH));
        RowIterator iterator = reader.iterator();
        store.failNextReads(1);
        assertInstanceOf(TransientObjectStoreException.class, failure(iterator.next()));
        assertInstanceOf(TransientObjectStoreException.class, failure(iterator.next()));
    }

    @Test
    void versionsOfOneKeySpanningManyBlocksAreFoundBySequenceNumber() {
        List<RowEntry> rows = new ArrayList<>();
        rows.add(RowEntry.value("a".getBytes(StandardCharsets.US_ASCII), new byte[10], 5));
        for (long seq = 300; seq >= 100; seq -= 2) {
            rows.add(RowEntry.value("hot".getBytes(StandardCharsets.US_ASCII), BigEndian.u64Bytes(seq), seq));
        }
        rows.add(RowEntry.tombstone("hot".getBytes(StandardCharsets.US_ASCII), 50));
        rows.add(RowEntry.value("z".getBytes(StandardCharsets.US_ASCII), new byte[10], 5));
        SstReader reader = SstReader.fromBytesRequired("v.sst", compacted(rows, SstWriterOptions.DEFAULTS.withBlockSize(64)));
        assertTrue(reader.index().blockCount() > 20);
        byte[] hot = "hot".getBytes(StandardCharsets.US_ASCII);
        for (long maxSeq = 0; maxSeq <= 310; maxSeq++) {
            RowEntry found = reader.get(hot, maxSeq).join();
            if (maxSeq < 50) {
                assertNull(found);
            } else if (maxSeq < 100) {
                assertTrue(found.isTombstone());
            } else {
                long expected = Math.min(300, maxSeq - (maxSeq % 2));
                assertEquals(expected, found.seq(), "max seq " + maxSeq);
            }
        }
        assertEquals(rows.subList(1, rows.size() - 1), reader.scan(KeyRange.point(hot)).collectRemaining().join());
    }

    @Test
    void oversizedValuesGetBlocksOfTheirOwn() {
        byte[] big = new byte[300_000];
        big[123] = 7;
        List<RowEntry> rows = List.of(RowEntry.value(key(1), new byte[0], 1), RowEntry.value(key(2), big, 1),
                RowEntry.tombstone(key(3), 1));
        for (CompressionCodec codec : CompressionCodec.values()) {
            SstReader reader = SstReader.fromBytesRequired("big.sst", compacted(rows, SstWriterOptions.DEFAULTS.withCompression(codec)));
            assertEquals(rows, reader.iterator().collectRemaining().join());
            assertArrayEquals(big, reader.get(key(2)).join().value());
        }
    }

    @Test
    void blocksComeThroughTheConfiguredLoader() {
        Map<BlockKey, Block> cache = new ConcurrentHashMap<>();
        AtomicInteger misses = new AtomicInteger();
        BlockLoader caching = (sst, source, from, to) -> {
            List<Block> blocks = new ArrayList<>();
            CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
            for (int i = from; i < to; i++) {
                int block = i;
                done = done.thenCompose(unused -> {
                    Block cached = cache.get(BlockKey.of(sst, block));
                    if (cached != null) {
                        blocks.add(cached);
                        return CompletableFuture.completedFuture(null);
                    }
                    misses.incrementAndGet();
                    return BlockLoader.direct().load(sst, source, block, block + 1).thenAccept(loaded -> {
                        cache.put(BlockKey.of(sst, block), loaded.get(0));
                        blocks.add(loaded.get(0));
                    });
                });
            }
            return done.thenApply(unused -> blocks);
        };
        List<RowEntry> rows = rows(2000);
        SstOpenResult opened = SstReader.fromBytes(PATH, compacted(rows, SstWriterOptions.DEFAULTS),
                SstReaderOptions.DEFAULTS.withBlockLoader(caching));
        SstReader reader = ((SstOpenResult.Opened) opened).reader();
        assertEquals(rows, reader.iterator().collectRemaining().join());
        int blocks = reader.index().blockCount();
        assertEquals(blocks, misses.get());
        assertEquals(rows, reader.iterator().collectRemaining().join());
        assertEquals(rows.get(999), reader.get(key(999)).join());
        assertEquals(blocks, misses.get(), "the second pass hits the cache only");
        assertEquals(new BlockKey(PATH, 0), BlockKey.of(reader.layout(), 0));
    }

    @Test
    void versionOneSstsAreReadable() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(RowEntry.value(key(i / 2), ("v" + i).getBytes(StandardCharsets.US_ASCII), 100 - i).withCreateTs(i));
        }
        byte[] bytes = VersionOneSst.write(rows, 10, CompressionCodec.LZ4);
        SstReader reader = SstReader.fromBytesRequired("v1.sst", bytes);
        assertEquals(BlockFormat.V1, reader.blockFormat());
        assertEquals(rows, reader.iterator().collectRemaining().join());
        assertEquals(rows.get(21), reader.get(key(10), rows.get(21).seq()).join());
        assertEquals(rows.subList(20, 30), reader.scan(KeyRange.halfOpen(key(10), key(15))).collectRemaining().join());
        Futures.join(reader.verify());
        assertFalse(reader.info().hasFilter());
    }

    @Test
    void compositeFilterBlocksAreWrittenOnRequestAndRead() {
        List<RowEntry> rows = rows(50);
        byte[] bytes = compacted(rows, SstWriterOptions.DEFAULTS.withMinFilterKeys(1).withFilterFormat(FilterFormat.COMPOSITE));
        SstReader reader = SstReader.fromBytesRequired("c.sst", bytes);
        assertEquals(FilterFormat.COMPOSITE, reader.info().filterFormat());
        assertTrue(reader.loadFilter().join().isPresent());
        for (RowEntry row : rows) {
            assertTrue(reader.mightContain(row.key()).join());
        }
    }
}
