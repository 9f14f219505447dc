package io.slatedb.flink.snapshot;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointScope;
import io.slatedb.CheckpointSize;
import io.slatedb.Db;
import io.slatedb.SlateDbException;
import io.slatedb.flink.fork.PinnedClones;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResources;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategy;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;

import javax.annotation.Nonnull;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A snapshot is a SlateDB checkpoint. The synchronous part, on the task thread, creates it with
 * {@link CheckpointScope#ALL} (so it holds every write so far, all in SSTs, which clones with
 * projections need) and writes the states' meta data, after running the states' snapshot transformers
 * (TTL cleanup in full snapshots) on the database; the asynchronous part only reads the sizes and
 * builds the descriptor. No SST is copied or uploaded.
 *
 * <p>A NATIVE savepoint is made the same way, then becomes a database of its own ({@link PinnedClones}):
 * a pinned clone, or with {@link SavepointTarget#copy()} a detached copy.
 *
 * <p>SlateDB checkpoints are deleted when Flink discards the snapshot ({@link SlateDbKeyedStateHandle}),
 * and by this strategy when Flink aborts or subsumes a checkpoint.
 */
@Internal
public final class SlateDbSnapshotStrategy
        implements SnapshotStrategy<KeyedStateHandle, SlateDbSnapshotStrategy.Resources> {

    private final Db db;
    private final Admin admin;
    private final String store;
    private final String path;
    private final KeyGroupRange keyGroupRange;
    private final UUID backendIdentifier;
    private final Runnable beforeCheckpoint;
    private final Supplier<byte[]> stateMeta;
    /** Where and how native savepoints' databases are made. */
    private final SavepointTarget savepointTarget;
    /** The SlateDB checkpoint of each Flink checkpoint taken and not yet completed or aborted. */
    private final Map<Long, UUID> pending = new ConcurrentHashMap<>();
    /** The SlateDB checkpoint of each completed Flink checkpoint not yet subsumed. */
    private final Map<Long, UUID> completed = new ConcurrentHashMap<>();
    /** The SlateDB checkpoint of the last completed Flink checkpoint, the base of incremental sizes. */
    private volatile UUID lastCompleted;

    public SlateDbSnapshotStrategy(Db db, Admin admin, String store, String path, KeyGroupRange keyGroupRange,
                                   UUID backendIdentifier, Runnable beforeCheckpoint, Supplier<byte[]> stateMeta,
                                   SavepointTarget savepointTarget) {
        this.db = db;
        this.admin = admin;
        this.store = store;
        this.path = path;
        this.keyGroupRange = keyGroupRange;
        this.backendIdentifier = backendIdentifier;
        this.beforeCheckpoint = beforeCheckpoint;
        this.stateMeta = stateMeta;
        this.savepointTarget = savepointTarget;
    }

    /** What the synchronous part made: the SlateDB checkpoint and the states' meta data. */
    public record Resources(CheckpointCreateResult checkpoint, byte[] stateMeta) implements SnapshotResources {
        @Override
        public void release() {
            // The checkpoint belongs to the snapshot from now on; nothing to release.
        }
    }

    @Override
    public Resources syncPrepareResources(long checkpointId) {
        beforeCheckpoint.run();
        CheckpointCreateResult checkpoint = db.createCheckpoint(CheckpointScope.ALL,
                io.slatedb.CheckpointOptions.builder().name("flink-" + checkpointId).build());
        pending.put(checkpointId, checkpoint.id());
        return new Resources(checkpoint, stateMeta.get());
    }

    @Override
    public SnapshotResultSupplier<KeyedStateHandle> asyncSnapshot(Resources resources, long checkpointId, long timestamp,
                                                                 @Nonnull CheckpointStreamFactory streamFactory,
                                                                 @Nonnull org.apache.flink.runtime.checkpoint.CheckpointOptions options) {
        if (options.getCheckpointType().isSavepoint()) {
            return registry -> savepoint(resources, checkpointId);
        }
        return registry -> {
            UUID id = resources.checkpoint().id();
            long fullSize = admin.checkpointSize(id).sstBytes();
            long incrementalSize = incrementalSize(id, fullSize);
            CheckpointDescriptor descriptor = CheckpointDescriptors.describe(store, path, id,
                    resources.checkpoint().manifestId(), keyGroupRange, fullSize, incrementalSize, resources.stateMeta());
            ByteStreamStateHandle meta = new ByteStreamStateHandle(
                    "slatedb-" + backendIdentifier + "-" + checkpointId, descriptor.toByteArray());
            return SnapshotResult.of(new SlateDbKeyedStateHandle(backendIdentifier, keyGroupRange, checkpointId, meta,
                    incrementalSize, new CheckpointReference(store, path, id), fullSize));
        };
    }

    /**
     * A native savepoint: the checkpoint's database is cloned into a pinned clone of its own
     * ({@link PinnedClones}), which the handle describes, and the checkpoint goes (the clone pins what it
     * reads itself). The savepoint then lives until Flink discards its handle, whatever becomes of this
     * job's database.
     */
    private SnapshotResult<KeyedStateHandle> savepoint(Resources resources, long checkpointId) {
        UUID id = resources.checkpoint().id();
        try {
            long fullSize = admin.checkpointSize(id).sstBytes();
            CheckpointDescriptor source = CheckpointDescriptors.describe(store, path, id,
                    resources.checkpoint().manifestId(), keyGroupRange, fullSize, fullSize, resources.stateMeta());
            String target = savepointTarget.path().apply(checkpointId);
            CheckpointDescriptor pinned = savepointTarget.copy()
                    ? PinnedClones.copy(admin.store(), source, target,
                    savepointTarget.mergeOperator())
                    : PinnedClones.clone(admin.store(), source, target);
            return SnapshotResult.of(SlateDbKeyedStateHandle.of(backendIdentifier, checkpointId, pinned,
                    CheckpointReference.Kind.PINNED_CLONE));
        } finally {
            pending.remove(checkpointId);
            SlateDbKeyedStateHandle.deleteCheckpoint(admin, id);
        }
    }

    private long incrementalSize(UUID id, long fullSize) {
        UUID base = lastCompleted;
        if (base == null) {
            return fullSize;
        }
        try {
            CheckpointSize added = admin.sizeSince(id, base);
            return added.sstBytes();
        } catch (SlateDbException e) {
            // The base was deleted meanwhile (Flink discarded it): everything counts as new.
            return fullSize;
        }
    }

    /** Flink completed checkpoint {@code checkpointId}: later sizes are counted from it. */
    public void notifyCheckpointComplete(long checkpointId) {
        UUID id = pending.remove(checkpointId);
        if (id != null) {
            lastCompleted = id;
            completed.put(checkpointId, id);
        }
        pending.keySet().removeIf(older -> older < checkpointId);
    }

    /**
     * Flink subsumed completed checkpoint {@code checkpointId} (it fell out of retention): its SlateDB
     * checkpoint is deleted. The job manager's discard of the handle deletes it too; this covers handles
     * the job manager read back from checkpoint metadata, which no longer delete anything.
     */
    public void notifyCheckpointSubsumed(long checkpointId) {
        UUID id = completed.remove(checkpointId);
        if (id != null) {
            SlateDbKeyedStateHandle.deleteCheckpoint(admin, id);
        }
    }

    /** Flink aborted checkpoint {@code checkpointId}: its SlateDB checkpoint is deleted. */
    public void notifyCheckpointAborted(long checkpointId) {
        UUID id = pending.remove(checkpointId);
        if (id != null) {
            SlateDbKeyedStateHandle.deleteCheckpoint(admin, id);
        }
    }
}
