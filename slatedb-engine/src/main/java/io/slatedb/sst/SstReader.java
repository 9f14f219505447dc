package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.FormatException;
import io.slatedb.store.ByteRange;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Reads one SST object (compacted or WAL, format version 1 or 2). Opening reads the object's tail with
 * one suffix read, which usually holds the footer, info, index and stats; anything the tail misses is
 * fetched with one more ranged read. The bloom filter is read on first use, data blocks as they are
 * needed, through the {@link BlockLoader} of the options (so a block cache can serve them).
 *
 * <p>Every stored block is checked against its checksum before it is decoded, and everything that
 * does not decode fails with {@link CorruptObjectException} naming the object. Thread-safe; the
 * iterators it returns are not.
 */
public final class SstReader {
    /** The largest sequence number: {@link #get(byte[], long)} with it returns the newest version. */
    public static final long MAX_SEQ = -1L;

    /** The answer of a get that finds nothing, shared: it allocates nothing. */
    private static final CompletableFuture<RowEntry> NOT_FOUND = CompletableFuture.completedFuture(null);
    /** What {@link #searchBlock} answers when the search goes on in the next block; never returned. */
    private static final RowEntry NEXT_BLOCK = BlockPointSearch.NEXT_BLOCK;
    private static final CompletableFuture<Optional<BloomFilter>> NO_FILTER =
            CompletableFuture.completedFuture(Optional.empty());

    private final SstLayout layout;
    private final RangeReader source;
    private final SstReaderOptions options;
    // Shared by the readers withOptions derives, so the filter is read once per opened object.
    private final AtomicReference<CompletableFuture<Optional<BloomFilter>>> filter;

    SstReader(SstLayout layout, RangeReader source, SstReaderOptions options) {
        this(layout, source, options, new AtomicReference<>());
    }

    private SstReader(SstLayout layout, RangeReader source, SstReaderOptions options,
                      AtomicReference<CompletableFuture<Optional<BloomFilter>>> filter) {
        this.layout = layout;
        this.source = source;
        this.options = options;
        this.filter = filter;
    }

    /** Opens the object at {@code path} with the default options. */
    public static CompletableFuture<SstOpenResult> open(ObjectStore store, String path) {
        return open(store, path, SstReaderOptions.DEFAULTS);
    }

    /**
     * Opens the object at {@code path}: an {@link SstOpenResult.Opened} reader, or
     * {@link SstOpenResult.Empty} for an object too small to be an SST.
     */
    public static CompletableFuture<SstOpenResult> open(ObjectStore store, String path, SstReaderOptions options) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        RangeReader ranged = new ObjectStoreRangeReader(store, path);
        return store.get(path, ByteRange.suffix(options.initialReadSize()))
                .thenCompose(tail -> SstOpener.open(path, tail.metadata().size(), tail.data(), ranged, options));
    }

    /** Opens the object at {@code path}, which must hold an SST: an empty object is corrupt here. */
    public static CompletableFuture<SstReader> openRequired(ObjectStore store, String path, SstReaderOptions options) {
        return open(store, path, options).thenApply(SstReader::required);
    }

    /** {@link #openRequired(ObjectStore, String, SstReaderOptions)} with the default options. */
    public static CompletableFuture<SstReader> openRequired(ObjectStore store, String path) {
        return openRequired(store, path, SstReaderOptions.DEFAULTS);
    }

    /** Opens an SST held in memory (the whole object). */
    public static SstOpenResult fromBytes(String path, byte[] bytes) {
        return fromBytes(path, bytes, SstReaderOptions.DEFAULTS);
    }

    /** Opens an SST held in memory (the whole object). */
    public static SstOpenResult fromBytes(String path, byte[] bytes, SstReaderOptions options) {
        RangeReader whole = new ByteArrayRangeReader(path, bytes);
        return Futures.join(SstOpener.open(path, bytes.length, bytes, whole, options));
    }

    /** Opens an SST held in memory, which must hold an SST. */
    public static SstReader fromBytesRequired(String path, byte[] bytes) {
        return required(fromBytes(path, bytes));
    }

    private static SstReader required(SstOpenResult result) {
        if (result instanceof SstOpenResult.Opened opened) {
            return opened.reader();
        }
        SstOpenResult.Empty empty = (SstOpenResult.Empty) result;
        throw new CorruptObjectException(empty.path(), "object of " + empty.size() + " bytes is too small to be an SST");
    }

    /**
     * A reader of the same object with other options (another block loader, another read-ahead). It
     * shares this reader's metadata, byte source and bloom filter, so deriving one reads nothing.
     */
    public SstReader withOptions(SstReaderOptions newOptions) {
        Objects.requireNonNull(newOptions, "newOptions");
        return new SstReader(layout, source, newOptions, filter);
    }

    /** The options this reader reads with. */
    public SstReaderOptions options() {
        return options;
    }

    /**
     * About how many bytes of memory this reader keeps: its index and info, its bloom filter once
     * loaded, and the whole object when the opening read covered it (small SSTs are then served from
     * memory). What a metadata cache weighs the reader at; the filter is counted before it is loaded.
     */
    public long retainedBytes() {
        SstInfo info = layout.info();
        long held = source instanceof ByteArrayRangeReader bytes ? bytes.heldBytes() : 0;
        return held + info.indexLength() + info.filterLength() + sizeOf(info.firstEntry()) + sizeOf(info.lastEntry())
                + FIXED_OVERHEAD_BYTES;
    }

    // Object headers, the layout, info and option records: small, but not nothing for tiny SSTs.
    private static final int FIXED_OVERHEAD_BYTES = 256;

    private static long sizeOf(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** Where everything in the object is; what a metadata cache would keep. */
    public SstLayout layout() {
        return layout;
    }

    public String path() {
        return layout.path();
    }

    public SstInfo info() {
        return layout.info();
    }

    public SstIndex index() {
        return layout.index();
    }

    /** The layout of the data blocks (from the SST format version). */
    public BlockFormat blockFormat() {
        return layout.blockFormat();
    }

    /** The SST's bloom filter, loaded on first use; empty when it has none this reader can use. */
    public CompletableFuture<Optional<BloomFilter>> loadFilter() {
        SstInfo info = layout.info();
        if (info.filterLength() == 0) {
            return NO_FILTER;
        }
        CompletableFuture<Optional<BloomFilter>> existing = filter.get();
        if (existing != null) {
            return existing;
        }
        CompletableFuture<Optional<BloomFilter>> loading = new CompletableFuture<>();
        if (!filter.compareAndSet(null, loading)) {
            return filter.get();
        }
        readRegion(info.filterOffset(), info.filterLength(), "filter block",
                payload -> FilterBlock.decode(info.filterFormat(), payload))
                .whenComplete((result, error) -> {
                    if (error != null) {
                        // Let a later call retry a failed read; a corrupt filter fails again the same way.
                        filter.compareAndSet(loading, null);
                        loading.completeExceptionally(Futures.unwrap(error));
                    } else {
                        loading.complete(result);
                    }
                });
        return loading;
    }

    /**
     * Sets the filter from its stored block at {@code bytes[at, at + filterLength)}, when that decodes;
     * otherwise leaves it to be read on first use, which reports the problem as a read would.
     */
    void preloadFilter(byte[] bytes, int at) {
        SstInfo info = layout.info();
        try {
            Optional<BloomFilter> decoded = FilterBlock.decode(info.filterFormat(),
                    BlockFraming.decode(info.compression(), bytes, at, (int) info.filterLength()));
            filter.compareAndSet(null, CompletableFuture.completedFuture(decoded));
        } catch (FormatException e) {
            // Left unloaded: the first get reads the filter and fails with the object's name.
        }
    }

    /**
     * Whether {@code key} may be in the SST: false only when the bloom filter rules it out. Without a
     * filter every key may be present.
     */
    public CompletableFuture<Boolean> mightContain(byte[] key) {
        Objects.requireNonNull(key, "key");
        return loadFilter().thenApply(f -> f.map(bloom -> bloom.mightContain(key)).orElse(true));
    }

    /** The SST's stats block, empty when it has none (WAL SSTs, SSTs written before stats existed). */
    public CompletableFuture<Optional<SstStats>> stats() {
        SstInfo info = layout.info();
        if (info.statsLength() == 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return readRegion(info.statsOffset(), info.statsLength(), "stats block",
                payload -> Optional.of(SstStats.decode(payload)));
    }

    /** Data block {@code i}, decoded (through the block loader). */
    public CompletableFuture<Block> block(int i) {
        Objects.checkIndex(i, layout.blockCount());
        return options.blockLoader().load(layout, source, i, i + 1).thenApply(blocks -> blocks.get(0));
    }

    /** Every row in stored order: key order for compacted SSTs, sequence order for WAL SSTs. */
    public RowIterator iterator() {
        return new SstRowIterator(layout, source, options.blockLoader(), null, 0, layout.blockCount(),
                options.readAheadBlocks());
    }

    /** The rows of a compacted SST whose keys are in {@code range}, in key order. */
    public RowIterator scan(KeyRange range) {
        Objects.requireNonNull(range, "range");
        requireCompacted("scan");
        return scanBlocks(range, options.readAheadBlocks());
    }

    private RowIterator scanBlocks(KeyRange range, int readAhead) {
        SstIndex index = layout.index();
        int from = range.start() == null ? 0 : index.startBlockFor(range.start());
        int to = range.end() == null ? index.blockCount() : index.endBlockFor(range.end(), range.endInclusive(), from);
        return new SstRowIterator(layout, source, options.blockLoader(), range, from, Math.max(from, to), readAhead);
    }

    /** The newest version of {@code key} in a compacted SST (tombstones included), or null. */
    public CompletableFuture<RowEntry> get(byte[] key) {
        return get(key, MAX_SEQ);
    }

    /**
     * The newest version of {@code key} in a compacted SST whose sequence number is at most
     * {@code maxSeq} (unsigned), tombstones included, or null. The row's key is {@code key} itself; its
     * value is a new array. Consults the bloom filter first. When the
     * filter is loaded and the blocks are at hand in the block loader (cached), the answer is computed
     * on the calling thread and comes back complete.
     */
    public CompletableFuture<RowEntry> get(byte[] key, long maxSeq) {
        Objects.requireNonNull(key, "key");
        requireCompacted("get");
        CompletableFuture<Optional<BloomFilter>> loading = loadFilter();
        if (!loading.isDone() || loading.isCompletedExceptionally()) {
            return loading.thenCompose(loaded -> getFiltered(loaded, key, maxSeq));
        }
        return getFiltered(loading.join(), key, maxSeq);
    }

    private CompletableFuture<RowEntry> getFiltered(Optional<BloomFilter> loadedFilter, byte[] key, long maxSeq) {
        if (loadedFilter.isPresent() && !loadedFilter.get().mightContain(key)) {
            return NOT_FOUND;
        }
        return search(key, maxSeq, layout.index().startBlockFor(key));
    }

    /**
     * Looks for the version from block {@code block} on: a key's versions may continue from one block
     * into the next, which is searched only when the search reaches the end of a block and the next
     * block's index key is not above the key (usually the first block answers, and the blocks after
     * it are never looked at). Blocks at hand are searched on this thread; the first one that is not
     * is loaded, and the search goes on when it arrives.
     */
    private CompletableFuture<RowEntry> search(byte[] key, long maxSeq, int block) {
        BlockLoader loader = options.blockLoader();
        for (int i = block; i < layout.blockCount(); i++) {
            Block cached = loader.cached(layout, i);
            if (cached == null) {
                int loading = i;
                return loader.load(layout, source, i, i + 1).thenCompose(blocks -> {
                    RowEntry row = searchBlock(blocks.get(0), loading, key, maxSeq);
                    if (row != NEXT_BLOCK) {
                        return found(row);
                    }
                    return continuesInto(loading + 1, key) ? search(key, maxSeq, loading + 1) : NOT_FOUND;
                });
            }
            RowEntry row;
            try {
                row = searchBlock(cached, i, key, maxSeq);
            } catch (CorruptObjectException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (row != NEXT_BLOCK) {
                return found(row);
            }
            if (!continuesInto(i + 1, key)) {
                break;
            }
        }
        return NOT_FOUND;
    }

    /** Whether a search that reached the end of block {@code i - 1} goes on in block {@code i}. */
    private boolean continuesInto(int i, byte[] key) {
        SstIndex index = layout.index();
        return i < index.blockCount() && index.mayHold(i, key);
    }

    /**
     * The newest version of {@code key} at or below {@code maxSeq} in data block {@code i}, null when
     * the block shows there is none, or {@link #NEXT_BLOCK} when the block ends before the key's
     * versions do (or before the key).
     */
    private RowEntry searchBlock(Block block, int i, byte[] key, long maxSeq) {
        try {
            return BlockPointSearch.find(block, key, maxSeq);
        } catch (FormatException e) {
            throw new CorruptObjectException(path(), "data block " + i + " at offset " + layout.blockStart(i)
                    + ": " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<RowEntry> found(RowEntry row) {
        return row == null ? NOT_FOUND : CompletableFuture.completedFuture(row);
    }

    /**
     * Reads and checks the whole SST: every data block, the filter and the stats, the order of the rows,
     * that the index keys and the info's first and last entries match the rows, and that the filter
     * holds every key. For tools and tests; completes with {@link CorruptObjectException} on the first
     * problem.
     */
    public CompletableFuture<Void> verify() {
        return SstVerifier.verify(this);
    }

    private void requireCompacted(String operation) {
        if (layout.info().type() != SstType.COMPACTED) {
            throw new IllegalStateException(operation + " needs a compacted SST; " + path() + " is a WAL SST");
        }
    }

    /** Reads the stored block at {@code [offset, offset + length)} and decodes its payload. */
    <T> CompletableFuture<T> readRegion(long offset, long length, String what, Function<byte[], T> decoder) {
        return source.read(offset, offset + length).thenApply(bytes -> {
            try {
                return decoder.apply(BlockFraming.decode(layout.info().compression(), bytes));
            } catch (FormatException e) {
                throw new CorruptObjectException(path(), what + " at offset " + offset + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public String toString() {
        return "SstReader[" + path() + ", " + layout.info() + ", " + layout.blockCount() + " blocks]";
    }
}
