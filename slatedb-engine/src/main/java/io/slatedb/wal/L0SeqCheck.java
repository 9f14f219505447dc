package io.slatedb.wal;

import io.slatedb.CorruptObjectException;
import io.slatedb.sst.RowEntry;

/**
 * Checks a manifest's {@code last_l0_seq} against the WAL SSTs recovery replays (those after its
 * {@code replay_after_wal_id}). The newest row flushed to L0 was written to the WAL before every row
 * of a later WAL SST, so when those SSTs hold rows, the newest of them is at or above
 * {@code last_l0_seq}. A damaged, larger value would silently hide every replayed row; this catches it.
 * One instance per replay; not thread-safe.
 */
public final class L0SeqCheck {
    private final long lastL0Seq;
    private boolean sawRows;
    private long newestSeq;

    /** @param lastL0Seq the manifest's {@code last_l0_seq} */
    public L0SeqCheck(long lastL0Seq) {
        this.lastL0Seq = lastL0Seq;
    }

    /** Notes the rows of one replayed WAL SST. */
    public void saw(WalFile file) {
        for (RowEntry row : file.rows()) {
            if (!sawRows || Long.compareUnsigned(row.seq(), newestSeq) > 0) {
                newestSeq = row.seq();
            }
            sawRows = true;
        }
    }

    /**
     * @param manifestPath the manifest the watermark comes from, named in the error
     * @throws CorruptObjectException when the replayed WAL SSTs held rows, all below {@code last_l0_seq}
     */
    public void check(String manifestPath) {
        if (sawRows && Long.compareUnsigned(newestSeq, lastL0Seq) < 0) {
            throw new CorruptObjectException(manifestPath, "inconsistent manifest: last_l0_seq "
                    + Long.toUnsignedString(lastL0Seq) + " is above the newest row (sequence number "
                    + Long.toUnsignedString(newestSeq) + ") of the WAL SSTs it says are not all in L0");
        }
    }
}
