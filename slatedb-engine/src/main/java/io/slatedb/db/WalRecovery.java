package io.slatedb.db;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.WalTruncatedException;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.memtable.ImmutableMemtable;
import io.slatedb.memtable.Memtable;
import io.slatedb.metadata.FenceableObject;
import io.slatedb.sst.RowEntry;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.wal.L0SeqCheck;
import io.slatedb.wal.WalFile;
import io.slatedb.wal.WalReplay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Rebuilds a new writer's memtables from the WAL files not yet covered by L0: ids
 * {@code (replay_after_wal_id, fence]}, rows with sequence numbers above {@code last_l0_seq}. Full
 * memtables (about {@code l0_sst_size_bytes}) are frozen at WAL-file boundaries and tagged with the
 * last file they hold, so the flush that follows moves the replay point exactly past them.
 */
final class WalRecovery {

    /**
     * The recovered state.
     *
     * @param active      the memtable the writer continues filling
     * @param frozen      full memtables to flush, oldest first
     * @param lastSeq     the highest sequence number in the database (the manifest's or a replayed one)
     * @param maxCreateTs the highest creation time seen (the manifest's clock tick or a replayed row's)
     * @param rows        how many rows were replayed
     */
    record Recovered(Memtable active, List<ImmutableMemtable> frozen, long lastSeq, long maxCreateTs, long rows) {
    }

    private WalRecovery() {
    }

    static CompletableFuture<Recovered> replay(ObjectStore walStore, DbLayout layout, FenceableObject<Manifest> manifest,
                                               long fenceWalId, long memtableBytes) {
        Manifest current = manifest.current().value();
        long lastL0Seq = current.core().lastL0Seq();
        WalReplay files = new WalReplay(walStore, layout, current.core().replayAfterWalId() + 1, fenceWalId, 4);
        Replaying replaying = new Replaying(lastL0Seq, current.core().lastL0ClockTick(), memtableBytes);
        // The claim wrote the current manifest over the one before it, whose values it carries.
        String manifestPath = layout.manifestPath(manifest.current().id() - 1);
        return replaying.consume(files)
                .thenRun(() -> replaying.seqCheck.check(manifestPath))
                .exceptionallyCompose(failure -> {
                    if (Futures.unwrap(failure) instanceof WalTruncatedException truncated) {
                        // A newer writer may have flushed and collected the WAL under us: that is fencing.
                        return manifest.refresh().thenCompose(unused -> CompletableFuture.failedFuture(
                                new SlateDbException(ErrorKind.DATA, "WAL file " + truncated.path()
                                        + " is missing, though the manifest says it must be replayed", truncated)));
                    }
                    return CompletableFuture.failedFuture(Futures.unwrap(failure));
                })
                .thenApply(unused -> replaying.result());
    }

    private static final class Replaying {
        private final long lastL0Seq;
        private final L0SeqCheck seqCheck;
        private final long memtableBytes;
        private final List<ImmutableMemtable> frozen = new ArrayList<>();
        private Memtable active = new Memtable();
        private long lastSeq;
        private long maxCreateTs;
        private long rows;

        Replaying(long lastL0Seq, long lastL0ClockTick, long memtableBytes) {
            this.lastL0Seq = lastL0Seq;
            this.seqCheck = new L0SeqCheck(lastL0Seq);
            this.lastSeq = lastL0Seq;
            this.maxCreateTs = lastL0ClockTick;
            this.memtableBytes = memtableBytes;
        }

        CompletableFuture<Void> consume(WalReplay files) {
            // Loop while files are already loaded, so thousands of files do not nest callbacks.
            while (true) {
                CompletableFuture<WalFile> next = files.next();
                if (!next.isDone() || next.isCompletedExceptionally()) {
                    return next.thenCompose(file -> {
                        if (file == null) {
                            return CompletableFuture.completedFuture(null);
                        }
                        add(file);
                        return consume(files);
                    });
                }
                WalFile file = next.join();
                if (file == null) {
                    return CompletableFuture.completedFuture(null);
                }
                add(file);
            }
        }

        private void add(WalFile file) {
            seqCheck.saw(file);
            for (RowEntry row : file.rows()) {
                if (Long.compareUnsigned(row.seq(), lastL0Seq) <= 0) {
                    continue; // already in L0
                }
                if (Long.compareUnsigned(row.seq(), lastSeq) < 0) {
                    throw new SlateDbException(ErrorKind.DATA, "WAL file " + Long.toUnsignedString(file.id())
                            + " goes back in sequence: row " + row + " after sequence number "
                            + Long.toUnsignedString(lastSeq));
                }
                active.put(row);
                lastSeq = row.seq();
                rows++;
                if (row.createTs().isPresent()) {
                    maxCreateTs = Math.max(maxCreateTs, row.createTs().getAsLong());
                }
            }
            if (!active.isEmpty() && active.estimatedSstSize() >= memtableBytes) {
                frozen.add(active.freeze(file.id()));
                active = new Memtable();
            }
        }

        Recovered result() {
            return new Recovered(active, frozen, lastSeq, maxCreateTs, rows);
        }
    }
}
