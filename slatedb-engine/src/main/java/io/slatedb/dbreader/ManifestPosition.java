package io.slatedb.dbreader;

import io.slatedb.DbPosition;
import io.slatedb.WalTruncatedException;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.metadata.Versioned;
import io.slatedb.manifest.Manifest;
import io.slatedb.store.ObjectStore;
import io.slatedb.wal.WalObjects;

import java.util.concurrent.CompletableFuture;

/**
 * The position of a manifest as a reader of exactly that manifest (a reader of a checkpoint pinning it)
 * sees it: its SSTs plus every WAL file up to {@code next_wal_sst_id - 1}. The highest sequence number
 * is the newest row in those files, or the manifest's {@code last_l0_seq} when they hold none above it.
 * Finding it reads the files from the newest back to the first that holds rows (fences hold none).
 */
public final class ManifestPosition {
    private ManifestPosition() {
    }

    /**
     * The position of {@code manifest}.
     *
     * @throws WalTruncatedException (through the future) when a WAL file the manifest covers is gone
     */
    public static CompletableFuture<DbPosition> of(ObjectStore store, DbLayout layout, Versioned<Manifest> manifest) {
        ManifestCore core = manifest.value().core();
        long replayed = core.replayAfterWalId();
        long last = Long.compareUnsigned(core.nextWalSstId() - 1, replayed) > 0 ? core.nextWalSstId() - 1 : replayed;
        return newestSeq(store, layout, last, replayed, core.lastL0Seq())
                .thenApply(seq -> new DbPosition(manifest.id(), seq, last));
    }

    /** The highest sequence number in files {@code (floorId, id]}, at least {@code floorSeq}. */
    private static CompletableFuture<Long> newestSeq(ObjectStore store, DbLayout layout, long id, long floorId,
                                                     long floorSeq) {
        if (Long.compareUnsigned(id, floorId) <= 0) {
            return CompletableFuture.completedFuture(floorSeq);
        }
        return WalObjects.read(store, layout, id).thenCompose(file -> {
            if (file.isEmpty()) {
                throw new WalTruncatedException(id, layout.walSstPath(id));
            }
            if (file.get().rows().isEmpty()) {
                return newestSeq(store, layout, id - 1, floorId, floorSeq);
            }
            long seq = file.get().lastSeq();
            return CompletableFuture.completedFuture(Long.compareUnsigned(seq, floorSeq) > 0 ? seq : floorSeq);
        });
    }
}
