package io.slatedb.flink.snapshot;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;

import java.net.URI;

/**
 * Registers {@link SlateDbCheckpointFileSystem} for the {@code slatedb-checkpoint} scheme (through
 * {@code META-INF/services}), so that the job manager can discard snapshot handles read back from
 * checkpoint metadata. The backend's jar must be on the job manager's class path (Flink's {@code lib/}).
 */
@Internal
public final class SlateDbCheckpointFileSystemFactory implements FileSystemFactory {

    private static final SlateDbCheckpointFileSystem INSTANCE =
            new SlateDbCheckpointFileSystem(CheckpointReference.Kind.CHECKPOINT);

    @Override
    public String getScheme() {
        return CheckpointReference.SCHEME;
    }

    @Override
    public FileSystem create(URI fsUri) {
        return INSTANCE;
    }
}
