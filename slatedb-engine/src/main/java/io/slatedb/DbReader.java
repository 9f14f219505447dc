package io.slatedb;

import io.slatedb.dbreader.ReaderCore;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.metrics.SlateDbMetricNames;
import io.slatedb.reader.LsmScan;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.ObjectStore;

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
public final class DbReader extends ReadMethods implements AutoCloseable {
    private final ReaderCore core;

    private final MetricRegistry metrics;
    private final HandleLease lease;

    DbReader(ReaderCore core, MetricRegistry metrics, HandleLease lease) {
        this.core = core;
        this.metrics = metrics;
        this.lease = lease;
    }

    /**
     * Opens a reader of the database at {@code path} (a database path, see {@link Db#open}) in
     * {@code store} with the default options.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static DbReader open(String path, ObjectStore store) {
        return builder(path, store).build();
    }

    /**
     * A builder for a reader of the database at {@code path} (a database path, see {@link Db#open}) with
     * other options, a fixed checkpoint or another mode.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
    public static DbReaderBuilder builder(String path, ObjectStore store) {
        return new DbReaderBuilder(path, store);
    }

    @Override
    CompletableFuture<RowEntry> readRow(byte[] key, ReadOptions options) {
        return core.get(key, options);
    }

    @Override
    LsmScan scanRows(KeyRange range, ScanOptions options) {
        return core.scan(range, options);
    }

    /**
     * The reader's current state, fixed: reads on the snapshot see exactly that state, and its
     * {@link DbReaderSnapshot#position() position} says where it stands, so a consumer can copy it and
     * continue with a {@link WalChangeFeed} {@link WalChangeFeed.Builder#startAfter(DbPosition) after} it.
     * The reader itself moves on with its polls; the snapshot does not.
     *
     * @throws SlateDbException of kind {@link ErrorKind#CLOSED} after close
     */
    public DbReaderSnapshot snapshot() {
        core.checkOpen();
        ReaderCore.State state = core.state();
        return new DbReaderSnapshot(core.readsAt(state), positionOf(state), core::checkOpen);
    }

    /**
     * The position of the reader's current state (its manifest, highest visible sequence number, last
     * replayed WAL file). In the polling modes the next poll may move it; to read exactly the state a
     * position describes, use {@link #snapshot()}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#CLOSED} after close
     */
    public DbPosition position() {
        core.checkOpen();
        return positionOf(core.state());
    }

    private static DbPosition positionOf(ReaderCore.State state) {
        return new DbPosition(state.manifestId(), state.maxSeq(), state.walId());
    }

    /** How the reader picks its manifest. */
    public DbReaderMode mode() {
        return core.mode();
    }

    /** The metrics registry this reader publishes to (names in {@link SlateDbMetricNames.DbReader}). */
    public MetricRegistry metrics() {
        return metrics;
    }

    /**
     * Stops following the database and, in {@link DbReaderMode#MANAGED_CHECKPOINT} mode, deletes the
     * reader's checkpoint. Later calls fail with kind {@link ErrorKind#CLOSED}. Closing again does nothing.
     *
     * @throws SlateDbException when deleting the checkpoint fails (it then expires on its own)
     */
    @Override
    public void close() {
        try {
            core.close();
        } finally {
            lease.close();
        }
    }

    /** Runs one poll now and waits for it (what the poller does every poll interval). */
    void pollNow() {
        core.pollNow();
    }

    ReaderCore core() {
        return core;
    }
}
