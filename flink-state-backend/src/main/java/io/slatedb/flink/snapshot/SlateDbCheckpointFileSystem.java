package io.slatedb.flink.snapshot;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.SlateDbException;
import io.slatedb.flink.fork.PinnedClones;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.function.Function;

/**
 * The SlateDB checkpoints of snapshot handles seen as files ({@link CheckpointReference}): a file
 * exists while its checkpoint does, and deleting it releases the checkpoint: a plain checkpoint is
 * deleted, the pin of a pinned clone (a native savepoint's database) releases that database
 * ({@link PinnedClones#release}). This is all Flink needs to discard a handle; everything else is
 * unsupported.
 */
@Internal
final class SlateDbCheckpointFileSystem extends FileSystem {

    private final URI root;

    SlateDbCheckpointFileSystem(CheckpointReference.Kind kind) {
        this.root = URI.create(kind.scheme() + ":/");
    }

    @Override
    public boolean delete(Path file, boolean recursive) throws IOException {
        CheckpointReference reference = reference(file);
        if (reference.kind() == CheckpointReference.Kind.PINNED_CLONE) {
            try (ObjectStore store = ObjectStores.resolve(reference.store())) {
                PinnedClones.release(store, reference.path(), reference.checkpointId());
            } catch (SlateDbException e) {
                throw new IOException("SlateDB pinned clone " + reference.path() + ": " + e.getMessage(), e);
            }
            return true;
        }
        onCheckpoint(reference, admin -> admin.deleteCheckpoint(reference.checkpointId()));
        // Missing or deleted now: either way the file no longer exists.
        return true;
    }

    @Override
    public FileStatus getFileStatus(Path file) throws IOException {
        CheckpointReference reference = reference(file);
        boolean exists = onCheckpoint(reference, admin -> admin.listCheckpoints().stream()
                .map(CheckpointInfo::id).anyMatch(reference.checkpointId()::equals));
        if (!exists) {
            throw new FileNotFoundException("No SlateDB checkpoint " + reference.checkpointId() + " in "
                    + reference.path());
        }
        return new CheckpointStatus(file);
    }

    private static CheckpointReference reference(Path file) throws IOException {
        try {
            return CheckpointReference.of(file.toUri());
        } catch (SlateDbException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static <T> T onCheckpoint(CheckpointReference reference, Function<Admin, T> action) throws IOException {
        try (ObjectStore store = ObjectStores.resolve(reference.store());
             Admin admin = Admin.builder(reference.path(), store).build()) {
            return action.apply(admin);
        } catch (SlateDbException e) {
            throw new IOException("SlateDB checkpoint " + reference.checkpointId() + " of " + reference.path() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(root);
    }

    @Override
    public Path getHomeDirectory() {
        return new Path(root);
    }

    @Override
    public URI getUri() {
        return root;
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len) {
        return new BlockLocation[0];
    }

    @Override
    public FSDataInputStream open(Path file, int bufferSize) throws IOException {
        return open(file);
    }

    @Override
    public FSDataInputStream open(Path file) throws IOException {
        throw unsupported("read");
    }

    @Override
    public FileStatus[] listStatus(Path dir) throws IOException {
        throw unsupported("list");
    }

    @Override
    public boolean mkdirs(Path dir) throws IOException {
        throw unsupported("create directories in");
    }

    @Override
    public FSDataOutputStream create(Path file, WriteMode overwrite) throws IOException {
        throw unsupported("write");
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        throw unsupported("rename in");
    }

    @Override
    public boolean isDistributedFS() {
        return true;
    }

    private static IOException unsupported(String what) {
        return new IOException("Cannot " + what + " the SlateDB checkpoint file system: its files only name"
                + " SlateDB checkpoints, which can only be checked for and deleted.");
    }

    /** An existing checkpoint, as a file of no size. */
    private record CheckpointStatus(Path path) implements FileStatus {
        @Override
        public long getLen() {
            return 0;
        }

        @Override
        public long getBlockSize() {
            return 0;
        }

        @Override
        public short getReplication() {
            return 1;
        }

        @Override
        public long getModificationTime() {
            return 0;
        }

        @Override
        public long getAccessTime() {
            return 0;
        }

        @Override
        public boolean isDir() {
            return false;
        }

        @Override
        public Path getPath() {
            return path;
        }
    }
}
