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

    /**
     * What changed after sequence number {@code sinceSeq} (unsigned), as of this state: per key in
     * {@code [start, end)} ({@code start} inclusive, {@code end} exclusive, either null for unbounded),
     * in key order, the key's newest row as stored when its sequence number is above {@code sinceSeq}:
     * a put, a delete (a tombstone, returned rather than hidden) or a merge operand (returned raw, not
     * folded: {@link #getKeyValue(byte[]) read the key} for its merged value), with its sequence number
     * and times. Keys whose newest row is at or below {@code sinceSeq} are left out. With 0 every key
     * that has a row appears.
     *
     * <p>What it cannot show: older rows of a key (only the newest counts), and deletes whose tombstone
     * compaction has already dropped (SlateDB drops a tombstone once it reaches the last sorted run), so
     * a key deleted after {@code sinceSeq} may be missing instead of showing its delete. Sources known to
     * hold nothing above {@code sinceSeq} (replayed WAL tables, and the SSTs when the manifest's last L0
     * sequence number is not above it) are not read; SST metadata holds no sequence numbers, so other
     * SSTs are read and their older rows left out.
     *
     * @throws SlateDbException of kind {@link ErrorKind#CLOSED} once the reader is closed
     */
    public ChangeIterator scanChangesSince(long sinceSeq, byte[] start, byte[] end) {
        return scanChangesSince(sinceSeq, start, end, ScanOptions.DEFAULT);
    }

    /** {@link #scanChangesSince(long, byte[], byte[])}, read as {@code options} say (read-ahead, caching). */
    public ChangeIterator scanChangesSince(long sinceSeq, byte[] start, byte[] end, ScanOptions options) {
        checkOpen.run();
        return new ChangeIterator(reads.scanSince(KeyRange.halfOpen(copy(start), copy(end)), sinceSeq, options));
    }

    private static byte[] copy(byte[] key) {
        return key == null ? null : key.clone();
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
