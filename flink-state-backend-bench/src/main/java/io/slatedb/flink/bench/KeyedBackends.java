package io.slatedb.flink.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.CheckpointStorageAccess;
import org.apache.flink.runtime.state.CheckpointStorageLocation;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SharedStateRegistry;
import org.apache.flink.runtime.state.SharedStateRegistryImpl;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.filesystem.FsCheckpointStreamFactory;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.streaming.api.operators.StreamOperatorStateHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Stream;

/**
 * Builds keyed state backends directly, without a job, as flink-benchmarks' StateBackendBenchmarkUtils does:
 * one subtask owning every key group, {@code Long} keys. Checkpoints go to a local checkpoint directory,
 * savepoints to directories the caller names.
 */
public final class KeyedBackends implements AutoCloseable {

    static final int MAX_PARALLELISM = 128;

    private final java.nio.file.Path dir;
    private final StateBackend stateBackend;
    private final MockEnvironment env;
    private final JobID job = new JobID();
    private final CheckpointStreamFactory checkpointStreams;
    private final CheckpointStorageAccess checkpointStorage;
    private final SharedStateRegistry sharedState = new SharedStateRegistryImpl(Runnable::run);

    /** Backends of {@code kind} keeping every file under {@code dir}, which this deletes on close. */
    public KeyedBackends(BackendKind kind, java.nio.file.Path dir, long blockCacheBytes) throws IOException {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.stateBackend = kind.create(dir, blockCacheBytes);
            java.nio.file.Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
            Path base = new Path(checkpoints.toUri());
            Path shared = new Path(Files.createDirectories(checkpoints.resolve("shared")).toUri());
            this.checkpointStreams = new FsCheckpointStreamFactory(LocalFileSystem.getSharedInstance(), base,
                    shared, 20 * 1024, 4 * 1024);
            this.checkpointStorage = new FileSystemCheckpointStorage(base).createCheckpointStorage(job);
            this.env = MockEnvironment.builder().build();
        } catch (IOException | RuntimeException | Error e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    /** A new keyed backend over all key groups, restored from {@code restore} (empty for a fresh one). */
    public CheckpointableKeyedStateBackend<Long> open(Collection<KeyedStateHandle> restore) throws Exception {
        return open(job, restore);
    }

    private CheckpointableKeyedStateBackend<Long> open(JobID jobId, Collection<KeyedStateHandle> restore)
            throws Exception {
        return stateBackend.createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(env, jobId, "bench-op",
                LongSerializer.INSTANCE, MAX_PARALLELISM, new KeyGroupRange(0, MAX_PARALLELISM - 1),
                env.getTaskKvStateRegistry(), TtlTimeProvider.DEFAULT, new UnregisteredMetricsGroup(), restore,
                new CloseableRegistry()));
    }

    /** Takes checkpoint {@code checkpointId} (synchronous and asynchronous part) and returns its handle. */
    public KeyedStateHandle checkpoint(CheckpointableKeyedStateBackend<Long> backend, long checkpointId) throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = backend.snapshot(checkpointId, checkpointId,
                checkpointStreams, CheckpointOptions.forCheckpointWithDefaultLocation());
        future.run();
        KeyedStateHandle handle = future.get().getJobManagerOwnedSnapshot();
        // The checkpoint coordinator's part: an incremental RocksDB handle refers to files of earlier
        // checkpoints by placeholders that only the shared state registry resolves.
        sharedState.registerAll(List.of(handle), checkpointId);
        sharedState.checkpointCompleted(checkpointId);
        // Completion lets an incremental RocksDB checkpoint reuse the files of this one, as in a job.
        if (backend instanceof CheckpointListener listener) {
            listener.notifyCheckpointComplete(checkpointId);
        }
        return handle;
    }

    /** Restores a keyed backend from {@code handle}. */
    public CheckpointableKeyedStateBackend<Long> restore(KeyedStateHandle handle) throws Exception {
        return open(List.of(handle));
    }

    /**
     * Takes savepoint {@code savepointId} of {@code format} into a new savepoint directory under
     * {@code targetDir} and returns its handle, the way a task does: the savepoint location of the job's
     * file system checkpoint storage is the stream factory, a NATIVE savepoint is the backend's own
     * snapshot with a savepoint's {@link CheckpointOptions}, a CANONICAL one runs the backend's
     * {@link CheckpointableKeyedStateBackend#savepoint() savepoint resources} through
     * {@link StreamOperatorStateHandler#prepareCanonicalSavepoint}. (The job manager's {@code _metadata}
     * file is not written.)
     */
    public KeyedStateHandle savepoint(CheckpointableKeyedStateBackend<Long> backend, long savepointId,
                                      SavepointFormatType format, java.nio.file.Path targetDir) throws Exception {
        CheckpointStorageLocation location = checkpointStorage.initializeLocationForSavepoint(savepointId,
                targetDir.toUri().toString());
        CheckpointOptions options = new CheckpointOptions(SavepointType.savepoint(format),
                location.getLocationReference());
        try (CloseableRegistry cancelStreams = new CloseableRegistry()) {
            RunnableFuture<SnapshotResult<KeyedStateHandle>> future = format == SavepointFormatType.CANONICAL
                    ? StreamOperatorStateHandler.prepareCanonicalSavepoint(backend, cancelStreams)
                            .snapshot(savepointId, savepointId, location, options)
                    : backend.snapshot(savepointId, savepointId, location, options);
            future.run();
            return future.get().getJobManagerOwnedSnapshot();
        }
    }

    /**
     * Starts a fork from {@code savepoint}: a keyed backend of a new job restored from it, as a job started
     * from a savepoint in NO_CLAIM mode builds its backends (the savepoint's handles, the job's own paths).
     */
    public CheckpointableKeyedStateBackend<Long> fork(KeyedStateHandle savepoint) throws Exception {
        return open(new JobID(), List.of(savepoint));
    }

    /** The directory every file of these backends is under (stores, local directories, snapshots). */
    public java.nio.file.Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        sharedState.close();
        env.close();
        deleteRecursively(dir);
    }

    static void deleteRecursively(java.nio.file.Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<java.nio.file.Path> paths = Files.walk(root)) {
            for (java.nio.file.Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
