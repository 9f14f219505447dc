package io.slatedb;

import io.slatedb.reader.HandleReads;
import io.slatedb.reader.LsmScan;
import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;

import java.util.concurrent.CompletableFuture;

/**
 * One state of a {@link DbReader}, fixed: reads on it see exactly what the reader saw when the snapshot
 * was taken, however the reader moves on afterwards, and {@link #position()} says where that state
 * stands. Take it to copy a database and then continue with a {@link WalChangeFeed} from
 * {@link #position()}: nothing is missed or seen twice at the seam.
 *
 * <p>A snapshot holds no resources of its own. The files it reads stay protected from garbage
 * collection as long as the reader's checkpoint pins its manifest: in {@link DbReaderMode#CHECKPOINT}
 * mode always, in {@link DbReaderMode#MANAGED_CHECKPOINT} mode until the reader moves to a newer
 * manifest (its poll interval at least; compacted SSTs are further kept for the collector's
 * {@code min_age}), in {@link DbReaderMode#FOLLOW_LATEST} mode not at all. For a long copy, read from a
 * reader of a fixed checkpoint. Reads fail with kind {@link ErrorKind#CLOSED} once the reader is closed.
 * Thread-safe.
 */
public final class DbReaderSnapshot extends ReadMethods {
    private final HandleReads reads;
    private final DbPosition position;
    /** Throws kind CLOSED once the reader is closed. */
    private final Runnable checkOpen;

    DbReaderSnapshot(HandleReads reads, DbPosition position, Runnable checkOpen) {
        this.reads = reads;
        this.position = position;
        this.checkOpen = checkOpen;
    }

    /** Where this state stands: its manifest, the highest sequence number it sees, the last WAL file it includes. */
    public DbPosition position() {
        return position;
    }

    @Override
    CompletableFuture<RowEntry> readRow(byte[] key, ReadOptions options) {
        try {
            checkOpen.run();
        } catch (SlateDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reads.get(key, options);
    }

    @Override
    LsmScan scanRows(KeyRange range, ScanOptions options) {
        checkOpen.run();
        return reads.scan(range, options);
    }
}
