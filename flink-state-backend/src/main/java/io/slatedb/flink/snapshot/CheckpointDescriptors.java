package io.slatedb.flink.snapshot;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.util.StateMigrationException;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/** Writes and reads the {@link CheckpointDescriptor} a snapshot handle carries as its meta data. */
@Internal
public final class CheckpointDescriptors {

    /** The descriptor format this code writes and reads. */
    static final int FORMAT_VERSION = 1;

    private CheckpointDescriptors() {
    }

    static CheckpointDescriptor describe(String store, String path, UUID checkpointId, long manifestId, KeyGroupRange range,
                                         long fullSize, long incrementalSize, byte[] stateMeta) {
        return CheckpointDescriptor.newBuilder()
                .setFormatVersion(FORMAT_VERSION)
                .setStore(store)
                .setPath(path)
                .setCheckpointId(checkpointId.toString())
                .setManifestId(manifestId)
                .setStartKeyGroup(range.getStartKeyGroup())
                .setEndKeyGroup(range.getEndKeyGroup())
                .setFullSizeBytes(fullSize)
                .setIncrementalSizeBytes(incrementalSize)
                .setStateMeta(ByteString.copyFrom(stateMeta))
                .build();
    }

    /**
     * The descriptor of a handle this backend made.
     *
     * @throws StateMigrationException when the handle is not a SlateDB snapshot (a native snapshot of another
     *                                 state backend) or its descriptor is unreadable; full snapshots in Flink's
     *                                 portable format (canonical savepoints) are restored without a descriptor
     */
    public static CheckpointDescriptor read(KeyedStateHandle handle) throws StateMigrationException {
        if (handle instanceof KeyGroupsStateHandle) {
            throw new StateMigrationException("A full snapshot in Flink's portable format (a canonical savepoint) has"
                    + " no SlateDB checkpoint descriptor: " + handle.getClass().getName());
        }
        if (!(handle instanceof org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle remote)) {
            throw new StateMigrationException("The SlateDB state backend restores its own snapshots (checkpoints and"
                    + " native savepoints) and canonical savepoints; got " + handle.getClass().getName()
                    + ", a native snapshot of another state backend: take a canonical savepoint of it instead.");
        }
        StreamStateHandle meta = remote.getMetaDataStateHandle();
        CheckpointDescriptor descriptor;
        try (InputStream in = meta.openInputStream()) {
            descriptor = CheckpointDescriptor.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new StateMigrationException("Not a SlateDB state backend snapshot: its meta data is no checkpoint"
                    + " descriptor (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new StateMigrationException("Cannot read the checkpoint descriptor of " + handle + ": " + e.getMessage());
        }
        if (descriptor.getFormatVersion() != FORMAT_VERSION) {
            throw new StateMigrationException("Not a SlateDB state backend snapshot this version reads: descriptor"
                    + " format " + descriptor.getFormatVersion() + ", expected " + FORMAT_VERSION);
        }
        return descriptor;
    }

    /** The key groups a descriptor's database holds. */
    public static KeyGroupRange keyGroups(CheckpointDescriptor descriptor) {
        return new KeyGroupRange(descriptor.getStartKeyGroup(), descriptor.getEndKeyGroup());
    }
}
