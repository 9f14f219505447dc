package io.slatedb.flink.fork;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.flink.snapshot.CheckpointReference;
import io.slatedb.flink.snapshot.SlateDbKeyedStateHandle;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.StateObjectCollection;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupsSavepointStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.OperatorStreamStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.runtime.state.filesystem.RelativeFileStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Forks a retained checkpoint or a savepoint into a new NATIVE savepoint directory, the job still
 * running or not: every SlateDB database its keyed state handles describe becomes a pinned clone
 * ({@link PinnedClones}, metadata only), and every other state file the metadata references (operator
 * state, raw keyed state) is copied into the new directory, so the fork outlives the original's expiry.
 * The new {@code _metadata} is written with Flink's {@link Checkpoints} serializer; restore it like any
 * savepoint, and dispose it with {@code flink savepoint --dispose} (which releases the clones).
 */
@Internal
public final class Forks {

    private static final Logger LOG = LoggerFactory.getLogger(Forks.class);

    private Forks() {
    }

    /**
     * What a fork made.
     *
     * @param directory the new savepoint directory
     * @param databases the pinned clones, as the new metadata describes them
     * @param copiedFiles how many other state files were copied
     * @param copiedBytes their bytes
     */
    public record Fork(String directory, List<SnapshotDirectories.Database> databases, int copiedFiles,
                       long copiedBytes) {
    }

    /**
     * Forks {@code source} (a checkpoint or savepoint directory) into {@code target} (a directory without a
     * {@code _metadata}); the clones go to {@code <root>/savepoints/fork-<uuid>/<operator id>/kg-<first>-<last>}
     * in the store of each database. On failure, the clones made so far are released again.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code source} is no readable
     *                          checkpoint, {@code target} holds one already, or a state handle cannot be
     *                          forked (unaligned checkpoints' channel state, file-merged or other backends'
     *                          incremental state)
     */
    public static Fork fork(String source, String target, String root, ClassLoader classLoader) {
        CheckpointMetadata metadata = SnapshotDirectories.load(source, classLoader);
        Path targetDir = new Path(target);
        Path targetMetadata = new Path(targetDir, SnapshotDirectories.METADATA);
        Run run = new Run(targetDir, root + "/savepoints/fork-" + UUID.randomUUID());
        try {
            FileSystem fs = targetDir.getFileSystem();
            if (fs.exists(targetMetadata)) {
                throw new SlateDbException(ErrorKind.INVALID, target + " holds a checkpoint or savepoint already");
            }
            fs.mkdirs(targetDir);
            List<OperatorState> operators = new ArrayList<>();
            for (OperatorState operator : metadata.getOperatorStates()) {
                operators.add(run.operator(operator, metadata.getCheckpointId()));
            }
            CheckpointMetadata forked = new CheckpointMetadata(metadata.getCheckpointId(), operators,
                    metadata.getMasterStates());
            if (metadata.getCheckpointProperties() != null) {
                forked = forked.withProperties(metadata.getCheckpointProperties());
            }
            try (FSDataOutputStream out = fs.create(targetMetadata, FileSystem.WriteMode.NO_OVERWRITE)) {
                Checkpoints.storeCheckpointMetadata(forked, out);
            }
            return new Fork(targetDir.toString(), SnapshotDirectories.databases(forked), run.copiedFiles,
                    run.copiedBytes);
        } catch (IOException | RuntimeException e) {
            run.undo();
            if (e instanceof SlateDbException slateDb) {
                throw slateDb;
            }
            throw new SlateDbException(ErrorKind.UNAVAILABLE, "Cannot fork " + source + " into " + target + ": "
                    + e.getMessage(), e);
        } finally {
            run.close();
        }
    }

    /** One fork in progress: what it made, to undo on failure. */
    private static final class Run {
        private final Path targetDir;
        private final String cloneRoot;
        private final Map<String, ObjectStore> stores = new HashMap<>();
        private final List<CheckpointReference> clones = new ArrayList<>();
        private final List<Path> copies = new ArrayList<>();
        private int copiedFiles;
        private long copiedBytes;

        Run(Path targetDir, String cloneRoot) {
            this.targetDir = targetDir;
            this.cloneRoot = cloneRoot;
        }

        OperatorState operator(OperatorState operator, long checkpointId) throws IOException {
            OperatorState forked = new OperatorState(operator.getOperatorName().orElse(null),
                    operator.getOperatorUid().orElse(null), operator.getOperatorID(), operator.getParallelism(),
                    operator.getMaxParallelism());
            if (operator.getCoordinatorState() != null) {
                forked.setCoordinatorState(operator.getCoordinatorState()); // always inline bytes
            }
            for (Map.Entry<Integer, OperatorSubtaskState> subtask : operator.getSubtaskStates().entrySet()) {
                OperatorSubtaskState state = subtask.getValue();
                if (!state.getInputChannelState().isEmpty() || !state.getResultSubpartitionState().isEmpty()
                        || !state.getUpstreamOutputBufferState().isEmpty()) {
                    throw new SlateDbException(ErrorKind.INVALID, "Operator " + operator.getOperatorID()
                            + " has in-flight channel state (an unaligned checkpoint): fork a savepoint or an aligned"
                            + " checkpoint instead");
                }
                List<KeyedStateHandle> managedKeyed = new ArrayList<>();
                for (KeyedStateHandle handle : state.getManagedKeyedState()) {
                    managedKeyed.add(keyed(handle, operator, checkpointId));
                }
                List<KeyedStateHandle> rawKeyed = new ArrayList<>();
                for (KeyedStateHandle handle : state.getRawKeyedState()) {
                    rawKeyed.add(keyed(handle, operator, checkpointId));
                }
                forked.putState(subtask.getKey(), OperatorSubtaskState.builder()
                        .setManagedOperatorState(operatorHandles(state.getManagedOperatorState()))
                        .setRawOperatorState(operatorHandles(state.getRawOperatorState()))
                        .setManagedKeyedState(new StateObjectCollection<>(managedKeyed))
                        .setRawKeyedState(new StateObjectCollection<>(rawKeyed))
                        .setInputRescalingDescriptor(state.getInputRescalingDescriptor())
                        .setOutputRescalingDescriptor(state.getOutputRescalingDescriptor())
                        .build());
            }
            return forked;
        }

        private KeyedStateHandle keyed(KeyedStateHandle handle, OperatorState operator, long checkpointId)
                throws IOException {
            var slateDb = SnapshotDirectories.slateDb(handle);
            if (slateDb.isPresent()) {
                CheckpointDescriptor source = slateDb.get();
                String clonePath = cloneRoot + "/" + operator.getOperatorID().toHexString() + "/kg-"
                        + source.getStartKeyGroup() + "-" + source.getEndKeyGroup();
                ObjectStore store = stores.computeIfAbsent(source.getStore(), ObjectStores::resolve);
                CheckpointDescriptor pinned = PinnedClones.clone(store, source, clonePath);
                clones.add(new CheckpointReference(CheckpointReference.Kind.PINNED_CLONE, pinned.getStore(),
                        pinned.getPath(), UUID.fromString(pinned.getCheckpointId())));
                return SlateDbKeyedStateHandle.of(((IncrementalRemoteKeyedStateHandle) handle).getBackendIdentifier(),
                        checkpointId, pinned, CheckpointReference.Kind.PINNED_CLONE);
            }
            if (handle instanceof KeyGroupsSavepointStateHandle savepoint) {
                return new KeyGroupsSavepointStateHandle(savepoint.getGroupRangeOffsets(),
                        copy(savepoint.getDelegateStateHandle()));
            }
            if (handle instanceof KeyGroupsStateHandle groups) {
                return new KeyGroupsStateHandle(groups.getGroupRangeOffsets(), copy(groups.getDelegateStateHandle()));
            }
            throw new SlateDbException(ErrorKind.INVALID, "Cannot fork keyed state handle "
                    + handle.getClass().getName() + " of operator " + operator.getOperatorID()
                    + ": only this backend's handles and full (canonical) keyed state are forked");
        }

        private StateObjectCollection<OperatorStateHandle> operatorHandles(StateObjectCollection<OperatorStateHandle> handles)
                throws IOException {
            List<OperatorStateHandle> copied = new ArrayList<>();
            for (OperatorStateHandle handle : handles) {
                if (!(handle instanceof OperatorStreamStateHandle stream)
                        || handle.getClass() != OperatorStreamStateHandle.class) {
                    throw new SlateDbException(ErrorKind.INVALID, "Cannot fork operator state handle "
                            + handle.getClass().getName() + " (file-merged checkpoints are not forked)");
                }
                copied.add(new OperatorStreamStateHandle(stream.getStateNameToPartitionOffsets(),
                        copy(stream.getDelegateStateHandle())));
            }
            return new StateObjectCollection<>(copied);
        }

        /** Inline bytes stay in the metadata; a file is copied into the fork's directory. */
        private StreamStateHandle copy(StreamStateHandle handle) throws IOException {
            if (handle instanceof ByteStreamStateHandle) {
                return handle;
            }
            if (handle.getClass() != FileStateHandle.class && handle.getClass() != RelativeFileStateHandle.class) {
                throw new SlateDbException(ErrorKind.INVALID, "Cannot fork state handle " + handle.getClass().getName());
            }
            String name = UUID.randomUUID().toString();
            Path copy = new Path(targetDir, name);
            FileSystem fs = copy.getFileSystem();
            long bytes = 0;
            try (FSDataInputStream in = handle.openInputStream();
                 FSDataOutputStream out = fs.create(copy, FileSystem.WriteMode.NO_OVERWRITE)) {
                copies.add(copy);
                byte[] buffer = new byte[64 * 1024];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    bytes += read;
                }
            }
            copiedFiles++;
            copiedBytes += bytes;
            return new RelativeFileStateHandle(copy, name, bytes);
        }

        void undo() {
            for (CheckpointReference clone : clones) {
                try {
                    PinnedClones.release(stores.get(clone.store()), clone.path(), clone.checkpointId());
                } catch (RuntimeException e) {
                    LOG.warn("Could not release the fork's clone {}: {}", clone.path(), e.getMessage());
                }
            }
            for (Path copy : copies) {
                try {
                    copy.getFileSystem().delete(copy, false);
                } catch (IOException e) {
                    LOG.warn("Could not delete the fork's copy {}: {}", copy, e.getMessage());
                }
            }
        }

        void close() {
            stores.values().forEach(ObjectStore::close);
        }
    }
}
