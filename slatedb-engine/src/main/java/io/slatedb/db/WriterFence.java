package io.slatedb.db;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.FenceableObject;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectAlreadyExistsException;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalObjects;
import io.slatedb.wal.WalTail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Claims a database for a new writer, as SlateDB does (its writer-init sequence): load the latest
 * manifest (creating manifest 1 for a new database), find the end of the WAL, bump the writer epoch by
 * compare-and-swap, and write a fence object at the first free WAL id with create-if-absent. From then
 * on an older writer's next WAL write hits an existing object and the older writer stops; its manifest
 * updates fail on the higher epoch. Every WAL file up to and including the fence is what the new
 * writer must replay.
 */
public final class WriterFence {

    /**
     * A claimed database.
     *
     * @param manifest   the manifest, fenced with the new writer epoch
     * @param fenceWalId the id of the fence; the writer's first WAL file is the next id, and replay
     *                   covers {@code (replay_after_wal_id, fenceWalId]}
     */
    public record Claimed(FenceableObject<Manifest> manifest, long fenceWalId) {
    }

    private WriterFence() {
    }

    /**
     * Claims the database at {@code layout}.
     *
     * @param updateTimeout bounds each compare-and-swap loop (SlateDB's {@code manifest_update_timeout})
     */
    public static CompletableFuture<Claimed> claim(ObjectStore store, ObjectStore walStore, DbLayout layout,
                                                   Duration updateTimeout, SstWriterOptions sstOptions) {
        SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, layout, true);
        return StoredObject.loadOrCreate(manifests, Manifest.initial(ManifestCore.initial()))
                .thenCompose(stored -> {
                    checkOpenable(stored.current().value());
                    long replayAfter = stored.current().value().core().replayAfterWalId();
                    return WalTail.lastWalId(walStore, layout, replayAfter).thenCompose(lastWal ->
                            FenceableObject.claim(stored, ManifestStore.WRITER_EPOCH, "writer", updateTimeout)
                                    .thenCompose(manifest -> fenceFrom(walStore, layout, manifest,
                                            Math.max(lastWal, manifest.current().value().core().replayAfterWalId()) + 1,
                                            sstOptions)));
                })
                // A last look: the epoch must still be ours now that the fence is in place.
                .thenCompose(claimed -> claimed.manifest().refresh().thenApply(unused -> claimed));
    }

    /**
     * Writes the fence at {@code id}, or at the next free id: an older writer still flushing may take
     * ids while this runs. Each lost id is checked against the manifest, so a newer writer stops us.
     */
    private static CompletableFuture<Claimed> fenceFrom(ObjectStore walStore, DbLayout layout,
                                                       FenceableObject<Manifest> manifest, long id,
                                                       SstWriterOptions sstOptions) {
        return WalObjects.writeFence(walStore, layout, id, sstOptions)
                .thenApply(unused -> new Claimed(manifest, id))
                .exceptionallyCompose(failure -> {
                    if (!(Futures.unwrap(failure) instanceof ObjectAlreadyExistsException)) {
                        return CompletableFuture.failedFuture(Futures.unwrap(failure));
                    }
                    return manifest.refresh().thenCompose(unused -> fenceFrom(walStore, layout, manifest, id + 1,
                            sstOptions));
                });
    }

    private static void checkOpenable(Manifest manifest) {
        if (!manifest.core().initialized()) {
            throw new SlateDbException(ErrorKind.INVALID, "the database is not initialized (an unfinished clone)");
        }
        if (manifest.core().isSegmented()) {
            throw new SlateDbException(ErrorKind.INVALID, "segmented databases are not supported by this engine yet");
        }
    }
}
