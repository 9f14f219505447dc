package io.slatedb;

import io.slatedb.reader.LsmScan;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.util.Futures;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The read operations {@link Db} and {@link DbReader} share: point reads and scans, blocking and
 * asynchronous, over the handle's own read path. Keys and values cross the API as copies, so callers
 * may change their arrays freely.
 */
abstract class ReadMethods {

    ReadMethods() {
    }

    /**
     * The newest visible row of {@code key} (a tombstone counts as absent: null), as the handle reads
     * it. The row's value is the caller's own (the read path copies it out of memtables and blocks
     * once), so it is handed out as it is; its key is {@code key} itself.
     */
    abstract CompletableFuture<RowEntry> readRow(byte[] key, ReadOptions options);

    /** The visible rows in {@code range}, as the handle scans them. */
    abstract LsmScan scanRows(KeyRange range, ScanOptions options);

    /** The value of {@code key}, or null when it is absent or deleted. */
    public byte[] get(byte[] key) {
        return get(key, ReadOptions.DEFAULT);
    }

    /** The value of {@code key}, read as {@code options} say, or null. */
    public byte[] get(byte[] key, ReadOptions options) {
        // Reads served from memory complete at once; joining the read itself spares a dependent future.
        return valueOf(Futures.join(readRow(key, options)));
    }

    /** {@link #get(byte[])} without blocking. */
    public CompletableFuture<byte[]> getAsync(byte[] key) {
        return getAsync(key, ReadOptions.DEFAULT);
    }

    /** {@link #get(byte[], ReadOptions)} without blocking. */
    public CompletableFuture<byte[]> getAsync(byte[] key, ReadOptions options) {
        return readRow(key, options).thenApply(ReadMethods::valueOf);
    }

    private static byte[] valueOf(RowEntry row) {
        return row == null ? null : row.value();
    }

    /** The value of {@code key} with its sequence number and timestamps, or null. */
    public KeyValue getKeyValue(byte[] key) {
        return getKeyValue(key, ReadOptions.DEFAULT);
    }

    /** The value of {@code key} with its metadata, read as {@code options} say, or null. */
    public KeyValue getKeyValue(byte[] key, ReadOptions options) {
        return keyValueOf(Futures.join(readRow(key, options)));
    }

    /** {@link #getKeyValue(byte[], ReadOptions)} without blocking. */
    public CompletableFuture<KeyValue> getKeyValueAsync(byte[] key, ReadOptions options) {
        return readRow(key, options).thenApply(ReadMethods::keyValueOf);
    }

    private static KeyValue keyValueOf(RowEntry row) {
        // The value is already the caller's own: no second copy. The key is the caller's argument, which
        // the caller may change afterwards: one copy.
        return row == null ? null
                : KeyValue.ofOwned(row.key().clone(), row.value(), row.seq(), createTsOf(row), row.expireTs());
    }

    /**
     * The keys in {@code [start, end)}: {@code start} inclusive, {@code end} exclusive, either null for
     * unbounded.
     */
    public DbIterator scan(byte[] start, byte[] end) {
        return scan(start, end, ScanOptions.DEFAULT);
    }

    /** The keys in {@code [start, end)}, read as {@code options} say (read-ahead, caching). */
    public DbIterator scan(byte[] start, byte[] end, ScanOptions options) {
        return new DbIterator(scanRows(KeyRange.halfOpen(copy(start), copy(end)), options));
    }

    /** The keys that start with {@code prefix}. */
    public DbIterator scanPrefix(byte[] prefix) {
        return scanPrefix(prefix, ScanOptions.DEFAULT);
    }

    /** The keys that start with {@code prefix}, read as {@code options} say. */
    public DbIterator scanPrefix(byte[] prefix, ScanOptions options) {
        return new DbIterator(scanRows(KeyRange.prefix(Objects.requireNonNull(prefix, "prefix").clone()), options));
    }

    /** The creation time a row reads as: rows written without one (SlateDB before 0.9) as created at 0. */
    static long createTsOf(RowEntry row) {
        return row.createTs().orElse(0);
    }

    private static byte[] copy(byte[] key) {
        return key == null ? null : key.clone();
    }
}
