package io.slatedb.reader;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.sst.BlockLoader;
import io.slatedb.sst.SstOpenResult;
import io.slatedb.sst.SstReader;
import io.slatedb.sst.SstReaderOptions;
import io.slatedb.sst.SstType;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the compacted SSTs of one database and caches what reading them needs, in two caches
 * bounded by bytes like SlateDB's split cache:
 * <ul>
 *   <li>the metadata cache holds opened SSTs ({@link SstHandle}: info, index, bloom filter, and the
 *       whole object when it is small enough to come with the opening read); it is always used;</li>
 *   <li>the data cache holds decoded data blocks keyed by (SST path, block offset); reads always look
 *       there first, but only reads that ask for it ({@code cacheBlocks}) add the blocks they load.</li>
 * </ul>
 * Concurrent opens of one SST share a single read. WAL SSTs are never read through a table store.
 * The caches are the table store's own, or {@link SstCaches} shared with other table stores, where
 * its entries are kept apart by a scope of its own; {@link #close()} drops them.
 * Thread-safe; one instance, with its caches, serves every reader of the database.
 */
public final class TableStore implements AutoCloseable {
    private final ObjectStore store;
    private final String rootPath;
    private final TableStoreOptions options;
    private final SstCaches caches;
    /** This table store's part of {@link #caches}. */
    private final long scope;
    /** The data block cache; null when its budget is 0. */
    private final BlockCache blockCache;
    /** What {@link #blockCacheCounters()} reports without a data cache: never a hit or a miss. */
    private final CacheCounters noBlockCache = new CacheCounters();
    /** Opens in flight, so concurrent opens of one SST share one read; failures are not remembered. */
    private final ConcurrentHashMap<String, CompletableFuture<SstHandle>> opening = new ConcurrentHashMap<>();
    private final CacheCounters metaCounters = new CacheCounters();
    /** How SSTs are opened; each opened SST then reads its blocks through loaders of its own. */
    private final SstReaderOptions openReads;

    /**
     * @param store    the object store holding the database
     * @param rootPath the database's root path in the store
     * @param options  cache budgets and the opening read size
     */
    public TableStore(ObjectStore store, String rootPath, TableStoreOptions options) {
        this(store, rootPath, options, new SstCaches(options.dataCacheBytes(), options.metaCacheBytes()));
    }

    /**
     * A table store whose entries go into {@code caches}, which may serve other table stores too; the
     * cache budgets of {@code options} are not used.
     */
    public TableStore(ObjectStore store, String rootPath, TableStoreOptions options, SstCaches caches) {
        this.store = Objects.requireNonNull(store, "store");
        this.rootPath = Objects.requireNonNull(rootPath, "rootPath");
        this.options = Objects.requireNonNull(options, "options");
        this.caches = Objects.requireNonNull(caches, "caches");
        this.scope = caches.newScope();
        // A zero budget means no data cache at all: blocks are loaded straight from the store, and no
        // cache structure is built or consulted.
        this.blockCache = caches.hasBlockCache() ? new BlockCache(caches, scope) : null;
        this.openReads = SstReaderOptions.DEFAULTS.withInitialReadSize(options.initialReadSize())
                .withBlockLoader(BlockLoader.direct());
    }

    /** A table store with SlateDB's default cache budgets. */
    public TableStore(ObjectStore store, String rootPath) {
        this(store, rootPath, TableStoreOptions.DEFAULTS);
    }

    public ObjectStore store() {
        return store;
    }

    public TableStoreOptions options() {
        return options;
    }

    /** The paths of this database's SSTs under a manifest that lists {@code externalDbs}. */
    public SstPaths paths(List<ExternalDb> externalDbs) {
        return SstPaths.of(rootPath, externalDbs);
    }

    /** The object path of manifest {@code id} of this database, as errors about the SSTs it lists name it. */
    public String manifestPath(long id) {
        return io.slatedb.format.DbLayout.of(rootPath).manifestPath(id);
    }

    /** The object path of SST {@code id} under a manifest that lists {@code externalDbs}. */
    public String pathOf(Ulid id, List<ExternalDb> externalDbs) {
        return paths(externalDbs).pathOf(id);
    }

    /**
     * The opened compacted SST at {@code path}, from the metadata cache or read from the store (and then
     * cached). Fails with {@link CorruptObjectException} for an object that is not a compacted SST.
     */
    public CompletableFuture<SstHandle> open(String path) {
        SstCaches.Key key = new SstCaches.Key(scope, path);
        SstHandle cached = caches.handle(key);
        if (cached != null) {
            countMetaHit();
            return cached.asFuture();
        }
        metaCounters.miss();
        caches.metaCounters().miss();
        CompletableFuture<SstHandle> mine = new CompletableFuture<>();
        CompletableFuture<SstHandle> inFlight = opening.putIfAbsent(path, mine);
        if (inFlight != null) {
            return inFlight;
        }
        // Another open may have finished between the miss and the registration above.
        cached = caches.handle(key);
        if (cached != null) {
            opening.remove(path, mine);
            mine.complete(cached);
            return mine;
        }
        CompletableFuture<SstHandle> read;
        try {
            read = read(path);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((handle, error) -> {
            // Cache before deregistering, so a concurrent open finds one or the other.
            if (error == null) {
                caches.putHandle(key, handle);
            }
            opening.remove(path, mine);
            if (error == null) {
                mine.complete(handle);
            } else {
                mine.completeExceptionally(Futures.unwrap(error));
            }
        });
        return mine;
    }

    /**
     * The opened SST of {@code table}, checked against the manifest's record of it: a missing object, or
     * one whose footer (key range, block offsets, codec) differs from what the manifest recorded, fails
     * with {@link CorruptObjectException} naming the SST and the manifest. The SST itself is read once
     * (then cached); the comparison is made, in memory, once for each manifest's record and opening of
     * the SST. The record then keeps the opened SST (weakly), so later gets through it neither compare
     * nor look the SST up in the metadata cache, and allocate nothing here.
     */
    CompletableFuture<SstHandle> open(TableRef table) {
        SstHandle known = table.matchedHandle();
        if (known != null && known.scope() == scope) {
            // The record keeps the SST it matched: no keyed lookup. It counts as the cache hit it stands
            // for, and some are shown to the cache, so that its policy still tells the SSTs in use.
            countMetaHit();
            if (SstCaches.touchNow()) {
                caches.handle(new SstCaches.Key(scope, table.path()));
            }
            return known.asFuture();
        }
        CompletableFuture<SstHandle> opened = open(table.path());
        if (opened.isDone() && !opened.isCompletedExceptionally() && table.matched(opened.join())) {
            return opened;
        }
        return opened.handle((handle, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof ObjectNotFoundException) {
                    throw new CorruptObjectException(table.path(), "listed in " + table.listedBy()
                            + ", but there is no such object", cause);
                }
                throw cause instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(cause);
            }
            String mismatch = SstRecords.mismatch(table.view().sst().info(), handle.reader(false).info());
            if (mismatch != null) {
                throw new CorruptObjectException(table.path(), "does not match its record in " + table.listedBy()
                        + ": " + mismatch);
            }
            table.markMatched(handle);
            return handle;
        });
    }

    private void countMetaHit() {
        metaCounters.hit();
        caches.metaCounters().hit();
    }

    private CompletableFuture<SstHandle> read(String path) {
        return SstReader.open(store, path, openReads).thenApply(result -> {
            if (!(result instanceof SstOpenResult.Opened opened)) {
                SstOpenResult.Empty empty = (SstOpenResult.Empty) result;
                throw new CorruptObjectException(path, "object of " + empty.size()
                        + " bytes is too small to be a compacted SST");
            }
            SstReader reader = opened.reader();
            if (reader.info().type() != SstType.COMPACTED) {
                throw new CorruptObjectException(path, "is a " + reader.info().type() + " SST, not a compacted one");
            }
            return handleOf(reader);
        });
    }

    /** The opened SST with its readers: through the data block cache and the SST's own slots, when there is one. */
    private SstHandle handleOf(SstReader reader) {
        if (blockCache == null) {
            return new SstHandle(scope, reader, reader);
        }
        BlockSlots slots = new BlockSlots(reader.layout().blockCount());
        return new SstHandle(scope,
                reader.withOptions(openReads.withBlockLoader(
                        new CachingBlockLoader(blockCache, BlockLoader.direct(), true, slots))),
                reader.withOptions(openReads.withBlockLoader(
                        new CachingBlockLoader(blockCache, BlockLoader.direct(), false, slots))));
    }

    /** Hits and misses of the data block cache, one lookup per block; always 0 without a data cache. */
    public CacheCounters blockCacheCounters() {
        return blockCache == null ? noBlockCache : blockCache.counters();
    }

    /** Hits and misses of the metadata cache, one lookup per SST opened. */
    public CacheCounters metaCacheCounters() {
        return metaCounters;
    }

    /** How many data blocks of this table store are cached (counted one by one: for tests). */
    public long cachedBlockCount() {
        return caches.blockCount(scope);
    }

    /** The caches this table store uses, perhaps with others. */
    public SstCaches caches() {
        return caches;
    }

    /** Drops this table store's cache entries; it stays usable (and fills the caches again if used). */
    @Override
    public void close() {
        caches.dropScope(scope);
    }

    @Override
    public String toString() {
        return "TableStore[" + store.describe() + ", root=" + rootPath + "]";
    }
}
