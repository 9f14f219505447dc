package io.slatedb.flink.snapshot;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;

import java.net.URI;

/**
 * Registers {@link SlateDbCheckpointFileSystem} for the {@code slatedb-pinned-clone} scheme (through
 * {@code META-INF/services}), so that disposing a native savepoint ({@code flink savepoint --dispose}, or
 * the job manager discarding a claimed one) releases its databases. Like the checkpoint scheme, it needs
 * the backend's jar on the job manager's (and the CLI's) class path.
 */
@Internal
public final class SlateDbPinnedCloneFileSystemFactory implements FileSystemFactory {

    private static final SlateDbCheckpointFileSystem INSTANCE =
            new SlateDbCheckpointFileSystem(CheckpointReference.Kind.PINNED_CLONE);

    @Override
    public String getScheme() {
        return CheckpointReference.PINNED_CLONE_SCHEME;
    }

    @Override
    public FileSystem create(URI fsUri) {
        return INSTANCE;
    }
}
