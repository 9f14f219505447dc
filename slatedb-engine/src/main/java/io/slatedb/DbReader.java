package io.slatedb;

import io.slatedb.dbreader.ReaderCore;
import io.slatedb.sst.KeyRange;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A read-only handle on a SlateDB database: the reads of {@link Db} without a writer. It holds no
 * mutable memtable and writes no WAL; it reads a checkpointed manifest, the SSTs that manifest lists,
 * and, unless {@link DbReaderOptions#skipWalReplay()}, the newer WAL files, replayed into in-memory
 * tables. Only data durable in object storage is visible, newest first: replayed tables, then L0
 * SSTs, then sorted runs; {@link ReadOptions#durabilityFilter()} and {@link ReadOptions#dirty()}
 * therefore change nothing. Any number of readers may run beside the writer, in other processes too.
 *
 * <p>In the default mode ({@link DbReaderMode#MANAGED_CHECKPOINT}) the reader creates a checkpoint
 * for itself (so the files it reads are not garbage collected), polls the manifest every
 * {@link DbReaderOptions#manifestPollInterval()} and moves to a newer one, with a new checkpoint,
 * when flushes or compactions changed its SSTs, otherwise reads the new WAL files; it refreshes its
 * checkpoint once half of {@link DbReaderOptions#checkpointLifetime()} has passed and deletes it on
 * close. See {@link DbReaderMode} for the fixed-checkpoint and follow-latest modes.
 *
 * <p>Thread-safe. Close it to stop its poller (and delete its checkpoint); the store stays open.
 */
public final class DbReader implements AutoCloseable {
    private final ReaderCore core;

    DbReader(ReaderCore core) {
        this.core = core;
    }

    /** Opens a reader of the database at {@code path} in {@code store} with the default options. */
    public static DbReader open(String path, ObjectStore store) {
        return builder(path, store).build();
    }

    /** A builder for a reader with other options, a fixed checkpoint or another mode. */
    public static DbReaderBuilder builder(String path, ObjectStore store) {
        return new DbReaderBuilder(path, store);
    }

    /** The value of {@code key}, or null when it is absent or deleted. */
    public byte[] get(byte[] key) {
        return get(key, ReadOptions.DEFAULT);
    }

    /** The value of {@code key}, read as {@code options} say (caching), or null. */
    public byte[] get(byte[] key, ReadOptions options) {
        return Futures.join(getAsync(key, options));
    }

    /** {@link #get(byte[])} without blocking. */
    public CompletableFuture<byte[]> getAsync(byte[] key) {
        return getAsync(key, ReadOptions.DEFAULT);
    }

    /** {@link #get(byte[], ReadOptions)} without blocking. */
    public CompletableFuture<byte[]> getAsync(byte[] key, ReadOptions options) {
        return core.get(key, options).thenApply(row -> row == null ? null : row.value().clone());
    }

    /** The value of {@code key} with its sequence number and timestamps, or null. */
    public KeyValue getKeyValue(byte[] key) {
        return getKeyValue(key, ReadOptions.DEFAULT);
    }

    /** The value of {@code key} with its metadata, or null. */
    public KeyValue getKeyValue(byte[] key, ReadOptions options) {
        return Futures.join(getKeyValueAsync(key, options));
    }

    /** {@link #getKeyValue(byte[], ReadOptions)} without blocking. */
    public CompletableFuture<KeyValue> getKeyValueAsync(byte[] key, ReadOptions options) {
        return core.get(key, options).thenApply(row -> row == null ? null : DbIterator.toKeyValue(row));
    }

    /** The keys in {@code [start, end)}; either bound null for unbounded. */
    public DbIterator scan(byte[] start, byte[] end) {
        return scan(start, end, ScanOptions.DEFAULT);
    }

    /** The keys in {@code [start, end)}, read as {@code options} say (read-ahead, caching). */
    public DbIterator scan(byte[] start, byte[] end, ScanOptions options) {
        return new DbIterator(core.scan(KeyRange.halfOpen(copy(start), copy(end)), options));
    }

    /** The keys that start with {@code prefix}. */
    public DbIterator scanPrefix(byte[] prefix) {
        return scanPrefix(prefix, ScanOptions.DEFAULT);
    }

    /** The keys that start with {@code prefix}, read as {@code options} say. */
    public DbIterator scanPrefix(byte[] prefix, ScanOptions options) {
        return new DbIterator(core.scan(KeyRange.prefix(Objects.requireNonNull(prefix, "prefix").clone()), options));
    }

    /** How the reader picks its manifest. */
    public DbReaderMode mode() {
        return core.mode();
    }

    /**
     * Stops following the database and, in {@link DbReaderMode#MANAGED_CHECKPOINT} mode, deletes the
     * reader's checkpoint. Later calls fail with kind {@link ErrorKind#CLOSED}. Closing again does nothing.
     *
     * @throws SlateDbException when deleting the checkpoint fails (it then expires on its own)
     */
    @Override
    public void close() {
        core.close();
    }

    /** Runs one poll now and waits for it (what the poller does every poll interval). */
    void pollNow() {
        core.pollNow();
    }

    ReaderCore core() {
        return core;
    }

    private static byte[] copy(byte[] key) {
        return key == null ? null : key.clone();
    }
}
