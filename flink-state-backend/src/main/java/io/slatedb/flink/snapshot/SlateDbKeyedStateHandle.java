package io.slatedb.flink.snapshot;

import io.slatedb.Admin;
import io.slatedb.SlateDbException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * A snapshot of one subtask's keyed state: a SlateDB checkpoint of its database. The meta data handle
 * holds the {@link io.slatedb.flink.snapshot.proto.CheckpointDescriptor}; the one private "file" is a
 * {@link FileStateHandle} naming the SlateDB checkpoint ({@link CheckpointReference}), sized as the
 * checkpoint's SSTs. No SST is copied.
 *
 * <p>Discarding it (Flink discards checkpoints that fall out of retention, failed ones and disposed
 * savepoints) deletes that file, which is deleting the SlateDB checkpoint
 * ({@link SlateDbCheckpointFileSystem}), so the database's garbage collector may reclaim what only it
 * kept; discarding a native savepoint's handle releases its pinned clone instead
 * ({@link io.slatedb.flink.fork.PinnedClones}). Flink's checkpoint metadata stores this as a plain {@link IncrementalRemoteKeyedStateHandle}
 * but keeps the file handle's path: a handle read back from metadata (after a job manager failover, or
 * a retained checkpoint restored with claim mode) deletes its SlateDB checkpoint the same way.
 */
@Internal
public final class SlateDbKeyedStateHandle extends IncrementalRemoteKeyedStateHandle {

    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(SlateDbKeyedStateHandle.class);
    /** The local path of the checkpoint reference among the private state (unused: nothing is downloaded). */
    static final String REFERENCE_LOCAL_PATH = "slatedb-checkpoint";

    private final UUID slateDbCheckpointId;

    SlateDbKeyedStateHandle(UUID backendIdentifier, KeyGroupRange keyGroupRange, long checkpointId,
                            StreamStateHandle descriptor, long incrementalSize, CheckpointReference reference,
                            long fullSize) {
        super(backendIdentifier, keyGroupRange, checkpointId, List.of(),
                List.of(HandleAndLocalPath.of(new FileStateHandle(reference.toPath(), fullSize), REFERENCE_LOCAL_PATH)),
                descriptor, incrementalSize);
        this.slateDbCheckpointId = reference.checkpointId();
    }

    /**
     * The handle of the snapshot {@code descriptor} describes, for Flink checkpoint {@code checkpointId}:
     * discarding it releases the descriptor's checkpoint as {@code kind} says.
     */
    public static SlateDbKeyedStateHandle of(UUID backendIdentifier, long checkpointId, CheckpointDescriptor descriptor,
                                             CheckpointReference.Kind kind) {
        ByteStreamStateHandle meta = new ByteStreamStateHandle(
                "slatedb-" + backendIdentifier + "-" + checkpointId + "-" + descriptor.getCheckpointId(),
                descriptor.toByteArray());
        return new SlateDbKeyedStateHandle(backendIdentifier, CheckpointDescriptors.keyGroups(descriptor), checkpointId,
                meta, descriptor.getIncrementalSizeBytes(),
                new CheckpointReference(kind, descriptor.getStore(), descriptor.getPath(),
                        UUID.fromString(descriptor.getCheckpointId())),
                descriptor.getFullSizeBytes());
    }

    /** The SlateDB checkpoint this snapshot is. */
    public UUID slateDbCheckpointId() {
        return slateDbCheckpointId;
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
