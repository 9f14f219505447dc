package io.slatedb.flink.fork;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.flink.snapshot.CheckpointDescriptors;
import io.slatedb.flink.snapshot.CheckpointReference;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.util.StateMigrationException;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Flink checkpoint or savepoint directory as this backend sees it: its {@code _metadata}, read with
 * Flink's own {@link Checkpoints} serializer, and the SlateDB databases its keyed state handles describe.
 */
@Internal
public final class SnapshotDirectories {

    /** The name of the metadata file in a checkpoint or savepoint directory. */
    public static final String METADATA = "_metadata";

    private SnapshotDirectories() {
    }

    /**
     * One keyed state database a checkpoint or savepoint holds.
     *
     * @param operatorId  the operator's id (hex)
     * @param operatorUid the operator's uid, or null when the metadata does not know it
     * @param subtask     the subtask index the handle was written by
     * @param descriptor  the snapshot's descriptor: store, database path, SlateDB checkpoint, key groups, size
     * @param kind        what discarding the handle releases: a plain checkpoint (of a running or ended job's
     *                    database) or a pinned clone (a native savepoint's, or a fork's)
     */
    public record Database(String operatorId, String operatorUid, int subtask, CheckpointDescriptor descriptor,
                           CheckpointReference.Kind kind) {
    }

    /**
     * Reads the {@code _metadata} of the checkpoint or savepoint directory {@code directory} (any Flink file
     * system URI, or a local path).
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when it has no readable metadata
     */
    public static CheckpointMetadata load(String directory, ClassLoader classLoader) {
        Path metadata = new Path(directory, METADATA);
        try {
            FileSystem fs = metadata.getFileSystem();
            if (!fs.exists(metadata)) {
                throw new SlateDbException(ErrorKind.INVALID, "Not a Flink checkpoint or savepoint directory: "
                        + directory + " has no " + METADATA);
            }
            try (FSDataInputStream in = fs.open(metadata); DataInputStream data = new DataInputStream(in)) {
                return Checkpoints.loadCheckpointMetadata(data, classLoader, directory);
            }
        } catch (IOException e) {
            throw new SlateDbException(ErrorKind.INVALID, "Cannot read the Flink metadata of " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The SlateDB databases of {@code metadata}'s keyed state, by operator and subtask. */
    public static List<Database> databases(CheckpointMetadata metadata) {
        List<Database> databases = new ArrayList<>();
        for (OperatorState operator : metadata.getOperatorStates()) {
            Map<Integer, OperatorSubtaskState> subtasks = new TreeMap<>(operator.getSubtaskStates());
            for (Map.Entry<Integer, OperatorSubtaskState> subtask : subtasks.entrySet()) {
                for (KeyedStateHandle handle : subtask.getValue().getManagedKeyedState()) {
                    slateDb(handle).ifPresent(descriptor -> databases.add(new Database(
                            operator.getOperatorID().toHexString(), operator.getOperatorUid().orElse(null),
                            subtask.getKey(), descriptor, kind(handle))));
                }
            }
        }
        return databases;
    }

    /** The descriptor of a handle this backend wrote; empty for any other handle. */
    static Optional<CheckpointDescriptor> slateDb(KeyedStateHandle handle) {
        if (!(handle instanceof IncrementalRemoteKeyedStateHandle)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointDescriptors.read(handle));
        } catch (StateMigrationException e) {
            return Optional.empty();
        }
    }

    /** What discarding a SlateDB handle releases, by the scheme of the reference it carries. */
    static CheckpointReference.Kind kind(KeyedStateHandle handle) {
        for (HandleAndLocalPath file : ((IncrementalRemoteKeyedStateHandle) handle).getPrivateState()) {
            if (file.getHandle() instanceof FileStateHandle reference) {
                try {
                    return CheckpointReference.of(reference.getFilePath().toUri()).kind();
                } catch (SlateDbException e) {
                    // Not a reference: look further.
                }
            }
        }
        return CheckpointReference.Kind.CHECKPOINT;
    }
}
