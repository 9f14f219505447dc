package io.slatedb.clone;

import io.slatedb.CheckpointOptions;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.util.Futures;
import io.slatedb.store.ObjectStore;

import java.time.Clock;
import java.util.Optional;

/**
 * The never-expiring checkpoints a clone holds in each database it reads SSTs from (their
 * {@code final_checkpoint_id}): they pin the manifest the clone was made from, so that database's
 * garbage collector keeps every SST and manifest the clone still needs.
 */
public final class ClonePins {
    private final ObjectStore store;
    private final Clock clock;
    private final boolean boundaryFiles;

    public ClonePins(ObjectStore store, Clock clock, boolean boundaryFiles) {
        this.store = store;
        this.clock = clock;
        this.boundaryFiles = boundaryFiles;
    }

    /**
     * Makes sure {@code external}'s pin exists, creating it from its source checkpoint (so it pins the
     * same manifest) when it does not.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when the external database is gone, or
     *                          when the pin is missing and its source checkpoint too (a short-lived source
     *                          checkpoint that expired before an interrupted clone was resumed)
     */
    public void ensure(String clonePath, ExternalDb external) {
        if (external.finalCheckpointId() == null) {
            return;
        }
        StoredObject<Manifest> manifest = Futures.join(StoredObject.load(manifests(external.path()), "manifest"));
        CheckpointOptions options = new CheckpointOptions(null, external.sourceCheckpointId(), null);
        Futures.join(manifest.maybeApplyUpdate(latest -> {
            if (Checkpoints.find(latest.value(), external.finalCheckpointId()).isPresent()) {
                return Optional.empty();
            }
            if (Checkpoints.find(latest.value(), external.sourceCheckpointId()).isEmpty()) {
                throw new SlateDbException(ErrorKind.DATA, "clone " + clonePath + " cannot pin " + external.path()
                        + ": neither its pin checkpoint " + external.finalCheckpointId() + " nor the source checkpoint "
                        + external.sourceCheckpointId() + " exists there any more (a short-lived source checkpoint"
                        + " expires after 5 minutes); delete the clone and create it again, from an explicit"
                        + " checkpoint");
            }
            return Optional.of(Checkpoints.withCheckpoint(latest.value(), Checkpoints.newCheckpoint(latest,
                    external.finalCheckpointId(), options, clock.instant())));
        }));
    }

    /** Whether {@code external}'s pin exists in its database. */
    public boolean exists(ExternalDb external) {
        Optional<Versioned<Manifest>> latest = Futures.join(manifests(external.path()).readLatest());
        return latest.isPresent() && external.finalCheckpointId() != null
                && Checkpoints.find(latest.get().value(), external.finalCheckpointId()).isPresent();
    }

    /**
     * Deletes {@code external}'s pin from its database. A pin (or database) that is already gone is not
     * an error.
     */
    public void release(ExternalDb external) {
        if (external.finalCheckpointId() == null) {
            return;
        }
        SequencedObjectStore<Manifest> parent = manifests(external.path());
        if (Futures.join(parent.readLatest()).isEmpty()) {
            return;
        }
        StoredObject<Manifest> manifest = Futures.join(StoredObject.load(parent, "manifest"));
        Futures.join(manifest.maybeApplyUpdate(Checkpoints.deleting(external.finalCheckpointId())));
    }

    private SequencedObjectStore<Manifest> manifests(String path) {
        return ManifestStore.sequence(store, DbLayout.of(path), boundaryFiles);
    }
}
