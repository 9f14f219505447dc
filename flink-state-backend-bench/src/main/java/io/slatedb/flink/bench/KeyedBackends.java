package io.slatedb.flink.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
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
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Stream;

/**
 * Builds keyed state backends directly, without a job, as flink-benchmarks' StateBackendBenchmarkUtils does:
 * one subtask owning every key group, {@code Long} keys. Snapshots go to a local checkpoint directory.
 */
public final class KeyedBackends implements AutoCloseable {

    static final int MAX_PARALLELISM = 128;

    private final java.nio.file.Path dir;
    private final StateBackend stateBackend;
    private final MockEnvironment env;
    private final JobID job = new JobID();
    private final CheckpointStreamFactory checkpointStreams;
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
            this.env = MockEnvironment.builder().build();
        } catch (IOException | RuntimeException | Error e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    /** A new keyed backend over all key groups, restored from {@code restore} (empty for a fresh one). */
    public CheckpointableKeyedStateBackend<Long> open(Collection<KeyedStateHandle> restore) throws Exception {
        return stateBackend.createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(env, job, "bench-op",
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
