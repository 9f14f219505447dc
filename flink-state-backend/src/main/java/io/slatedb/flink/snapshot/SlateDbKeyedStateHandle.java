package io.slatedb.flink.snapshot;

import io.slatedb.Admin;
import io.slatedb.SlateDbException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * A snapshot of one subtask's keyed state: a SlateDB checkpoint of its database. The meta data handle
 * holds the {@link io.slatedb.flink.snapshot.proto.CheckpointDescriptor}; there is no shared or private
 * file. Discarding it (Flink discards checkpoints that fall out of retention, and disposed savepoints)
 * deletes the SlateDB checkpoint, so the database's garbage collector may reclaim what only it kept.
 *
 * <p>Flink's checkpoint metadata stores this as a plain {@link IncrementalRemoteKeyedStateHandle}: a
 * handle read back from metadata (after a job manager failover) keeps the descriptor but no longer
 * deletes the SlateDB checkpoint when discarded.
 */
@Internal
public final class SlateDbKeyedStateHandle extends IncrementalRemoteKeyedStateHandle {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SlateDbKeyedStateHandle.class);

    private final String store;
    private final String path;
    private final UUID slateDbCheckpointId;
    private final long fullSize;

    SlateDbKeyedStateHandle(UUID backendIdentifier, KeyGroupRange keyGroupRange, long checkpointId,
                            StreamStateHandle descriptor, long incrementalSize, String store, String path,
                            UUID slateDbCheckpointId, long fullSize) {
        super(backendIdentifier, keyGroupRange, checkpointId, List.of(), List.of(), descriptor, incrementalSize);
        this.store = store;
        this.path = path;
        this.slateDbCheckpointId = slateDbCheckpointId;
        this.fullSize = fullSize;
    }

    /** The SlateDB checkpoint this snapshot is. */
    public UUID slateDbCheckpointId() {
        return slateDbCheckpointId;
    }

    /** The bytes of every SST the checkpoint keeps, and the descriptor. */
    @Override
    public long getStateSize() {
        return fullSize + super.getStateSize();
    }

    @Override
    public void discardState() throws Exception {
        super.discardState();
        deleteCheckpoint(store, path, slateDbCheckpointId);
    }

    /** Deletes a SlateDB checkpoint; a missing one, or a missing database, is logged and ignored. */
    static void deleteCheckpoint(String store, String path, UUID checkpointId) {
        try (ObjectStore objectStore = ObjectStores.resolve(store);
             Admin admin = Admin.builder(path, objectStore).build()) {
            deleteCheckpoint(admin, checkpointId);
        }
    }

    /** Deletes a SlateDB checkpoint through {@code admin}; a failure is logged and ignored. */
    static void deleteCheckpoint(Admin admin, UUID checkpointId) {
        try {
            admin.deleteCheckpoint(checkpointId);
        } catch (SlateDbException e) {
            LOG.warn("Could not delete SlateDB checkpoint {} of {}: {}", checkpointId, admin.path(), e.getMessage());
        }
    }
}
