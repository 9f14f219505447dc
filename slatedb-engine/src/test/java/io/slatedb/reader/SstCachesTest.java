package io.slatedb.reader;

import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.Block;
import io.slatedb.sst.EncodedSst;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SstCachesTest {
    private static final String ROOT = "db";
    private static final SstWriterOptions SMALL_BLOCKS = SstWriterOptions.DEFAULTS.withBlockSize(256);
    private static final TableStoreOptions OPTIONS = TableStoreOptions.DEFAULTS.withInitialReadSize(512);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes an SST of {@code rows} keys whose values start with {@code tag}, as SST {@code id} in {@code store}. */
    private static SstView write(ObjectStore store, Ulid id, String tag, int rows) {
        SstBuilder builder = SstBuilder.compacted(SMALL_BLOCKS);
        for (int i = 0; i < rows; i++) {
            builder.add(RowEntry.value(bytes(String.format("key-%05d", i)), bytes(tag + "-" + i), i + 1));
        }
        EncodedSst encoded = builder.build();
        store.put(DbLayout.of(ROOT).compactedSstPath(id), encoded.bytes()).join();
        return new SstView(id, new CompactedSst(id, encoded.info(), encoded.formatVersion()), null);
    }

    private static byte[] get(TableStore tables, SstView sst, String key) {
        ReadView view = ReadView.of(List.of(), new LsmTree(null, null, List.of(sst), List.of()), tables.paths(List.of()));
        RowEntry row = new LsmReader(tables).get(view, bytes(key), -1L, GetParams.DEFAULTS).join();
        return row.value();
    }

    @Test
    void tableStoresSharingCachesNeverSeeEachOthersEntriesEvenAtTheSamePath() {
        // Two databases at the same root in two stores, with an SST of the same id: the same object path.
        InMemoryObjectStore first = new InMemoryObjectStore();
        InMemoryObjectStore second = new InMemoryObjectStore();
        Ulid id = Ssts.freshId();
        SstView inFirst = write(first, id, "first", 100);
        SstView inSecond = write(second, id, "second", 100);
        SstCaches caches = new SstCaches(1 << 20, 1 << 20);
        TableStore a = new TableStore(first, ROOT, OPTIONS, caches);
        TableStore b = new TableStore(second, ROOT, OPTIONS, caches);

        assertArrayEquals(bytes("first-7"), get(a, inFirst, "key-00007"));
        assertArrayEquals(bytes("second-7"), get(b, inSecond, "key-00007"));
        assertArrayEquals(bytes("first-7"), get(a, inFirst, "key-00007"));
        assertArrayEquals(bytes("second-7"), get(b, inSecond, "key-00007"));
        assertEquals(1, a.blockCacheCounters().hits());
        assertEquals(1, b.blockCacheCounters().hits());
        assertEquals(2, caches.blockCounters().hits());
        assertEquals(1, a.cachedBlockCount());
        assertEquals(1, b.cachedBlockCount());

        a.close();
        assertEquals(0, a.cachedBlockCount());
        assertEquals(1, b.cachedBlockCount(), "closing one table store leaves the other's entries");
        assertArrayEquals(bytes("second-7"), get(b, inSecond, "key-00007"));
    }

    /** The blocks in the SST's slots, each checked to be one the cache holds; returns how many there are. */
    private static int slotsHeldByTheCache(TableStore tables, SstView sst, SstCaches caches) {
        SstHandle handle = tables.open(tables.pathOf(sst.sst().id(), List.of())).join();
        BlockSlots slots = ((CachingBlockLoader) handle.reader(true).options().blockLoader()).slots();
        assertSame(slots, ((CachingBlockLoader) handle.reader(false).options().blockLoader()).slots());
        int held = 0;
        for (int i = 0; i < handle.layout().blockCount(); i++) {
            Block block = slots.get(i);
            if (block != null) {
                held++;
                assertTrue(caches.holdsBlock(block), "slot " + i + " holds a block the cache does not");
            }
        }
        return held;
    }

    @Test
    void anSstsSlotsHoldOnlyBlocksTheCacheHoldsThroughEvictionsAndClose() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        SstView sst = write(store, Ssts.freshId(), "v", 400);
        // Room for a handful of the SST's 256-byte blocks: reading them all evicts most.
        SstCaches caches = new SstCaches(4 * 1024, 1 << 20);
        TableStore tables = new TableStore(store, ROOT, OPTIONS, caches);
        for (int round = 0; round < 3; round++) {
            for (int key = 0; key < 400; key += 7) {
                assertArrayEquals(bytes("v-" + key), get(tables, sst, String.format("key-%05d", key)));
            }
            caches.blockBytes(); // runs the evictions due
            int held = slotsHeldByTheCache(tables, sst, caches);
            assertTrue(held > 0 && held <= tables.cachedBlockCount(), held + " slots, "
                    + tables.cachedBlockCount() + " cached blocks");
        }
        SstHandle handle = tables.open(tables.pathOf(sst.sst().id(), List.of())).join();
        tables.close();
        BlockSlots slots = ((CachingBlockLoader) handle.reader(true).options().blockLoader()).slots();
        for (int i = 0; i < handle.layout().blockCount(); i++) {
            assertNull(slots.get(i), "closing the table store empties the slots of its SSTs");
        }
    }

    @Test
    void readsServedFromAnSstsSlotsCountAsTheHitsTheyAre() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        SstView sst = write(store, Ssts.freshId(), "v", 400);
        SstCaches caches = new SstCaches(1 << 20, 1 << 20);
        TableStore tables = new TableStore(store, ROOT, OPTIONS, caches);
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(bytes("v-399"), get(tables, sst, "key-00399"));
        }
        assertEquals(1, tables.blockCacheCounters().misses());
        assertEquals(99, tables.blockCacheCounters().hits());
        assertEquals(99, caches.blockCounters().hits());
        assertEquals(1, slotsHeldByTheCache(tables, sst, caches));
    }

    @Test
    void manyTableStoresStayWithinTheSharedBudgets() {
        long blockBudget = 16 * 1024;
        long metaBudget = 32 * 1024;
        SstCaches caches = new SstCaches(blockBudget, metaBudget);
        List<TableStore> stores = new ArrayList<>();
        for (int db = 0; db < 20; db++) {
            InMemoryObjectStore store = new InMemoryObjectStore();
            SstView sst = write(store, Ssts.freshId(), "db" + db, 400);
            TableStore tables = new TableStore(store, ROOT, OPTIONS, caches);
            stores.add(tables);
            for (int key = 0; key < 400; key += 40) {
                assertArrayEquals(bytes("db" + db + "-" + key), get(tables, sst, String.format("key-%05d", key)));
            }
            assertTrue(caches.blockBytes() <= blockBudget, () -> "block cache holds " + caches.blockBytes());
            assertTrue(caches.metaBytes() <= metaBudget, () -> "metadata cache holds " + caches.metaBytes());
        }
        assertTrue(caches.blockBytes() > 0);
        stores.forEach(TableStore::close);
        assertEquals(0, caches.blockBytes());
        assertEquals(0, caches.metaBytes());
    }
}
