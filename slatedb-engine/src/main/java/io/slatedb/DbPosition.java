package io.slatedb;

/**
 * Where a consistent view of a database stands: the manifest it reads, the highest sequence number it
 * sees, and the last WAL file it includes. Every change with a sequence number up to {@code seq} is in
 * the view; every later change is in a WAL file after {@code walId}. So a consumer that copies the view
 * and then follows a {@link WalChangeFeed} built with {@link WalChangeFeed.Builder#withStartAfter(DbPosition)}
 * (files from {@code walId + 1} on, rows at or below {@code seq} skipped) sees every change exactly once.
 * All three values are unsigned 64-bit integers held in longs.
 *
 * <p>Rows at or below {@code seq} can also sit in files after {@code walId} (a writer's L0 flush may take
 * rows of WAL files it has not yet marked as covered), which is why the feed must skip them rather than
 * start later.
 *
 * @param manifestId the id of the manifest the view reads
 * @param seq        the highest sequence number the view sees (0 for an empty database)
 * @param walId      the id of the last WAL file the view includes (0 when none)
 */
public record DbPosition(long manifestId, long seq, long walId) {

    /** The id of the first WAL file a feed continuing from this position reads. */
    public long nextWalId() {
        return walId + 1;
    }
}
