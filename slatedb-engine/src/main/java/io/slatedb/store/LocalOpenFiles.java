package io.slatedb.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The {@link ImmutableReads} of a {@link LocalDirectoryObjectStore}: a positional read of a file kept
 * open, on the calling thread. Up to {@code maxOpen} files stay open (beyond that an arbitrary other one
 * is closed); the store forgets a path it writes or deletes, so a later read opens the new file. A read
 * whose file another thread closed meanwhile reads through a file opened for it alone.
 *
 * <p>A file deleted by another process keeps serving the bytes it had, which for objects that are never
 * replaced are the bytes of the object.
 */
final class LocalOpenFiles implements ImmutableReads {

    private record OpenFile(FileChannel channel, long size) {
    }

    private final LocalRoot root;
    private final int maxOpen;
    private final BooleanSupplier storeClosed;
    private final Map<String, OpenFile> open = new ConcurrentHashMap<>();

    /** @param storeClosed whether the store is closed: reads then fail, as its other operations do */
    LocalOpenFiles(LocalRoot root, int maxOpen, BooleanSupplier storeClosed) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be at least 1, got " + maxOpen);
        }
        this.root = root;
        this.maxOpen = maxOpen;
        this.storeClosed = storeClosed;
    }

    @Override
    public byte[] read(String path, long start, long end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        if (storeClosed.getAsBoolean()) {
            throw new PermanentObjectStoreException(path, "the object store at " + root.path() + " is closed", null);
        }
        OpenFile file = open.get(path);
        if (file == null) {
            file = keep(path, openFile(path));
        }
        try {
            return readFrom(path, file, start, end);
        } catch (ClosedByInterruptException e) {
            // The interrupt closed the channel for every reader; this thread keeps its interrupt flag.
            forget(path, file);
            throw new TransientObjectStoreException(path, "interrupted while reading " + StorePaths.quote(path), e);
        } catch (ClosedChannelException e) {
            // Closed by another thread (evicted or forgotten) between the lookup and the read: read
            // through a file of this read's own, which nothing else closes.
            open.remove(path, file);
            return readOnce(path, start, end);
        } catch (IOException e) {
            forget(path, file);
            throw LocalIoErrors.onRead(path, root.objectFile(path), "get", e);
        }
    }

    /** Closes the file kept open for {@code path}, if any: the object was written or deleted. */
    void forget(String path) {
        OpenFile file = open.remove(path);
        if (file != null) {
            closeQuietly(file);
        }
    }

    /** Closes every file kept open. */
    void closeAll() {
        for (String path : open.keySet()) {
            forget(path);
        }
    }

    private void forget(String path, OpenFile file) {
        if (open.remove(path, file)) {
            closeQuietly(file);
        }
    }

    private byte[] readOnce(String path, long start, long end) {
        OpenFile file = openFile(path);
        try {
            return readFrom(path, file, start, end);
        } catch (ClosedByInterruptException e) {
            throw new TransientObjectStoreException(path, "interrupted while reading " + StorePaths.quote(path), e);
        } catch (IOException e) {
            throw LocalIoErrors.onRead(path, root.objectFile(path), "get", e);
        } finally {
            closeQuietly(file);
        }
    }

    private OpenFile openFile(String path) {
        Path target = root.objectFile(path);
        try {
            Path real = root.confinedRealPath(path, target);
            LocalFileState state = LocalObjectReader.objectState(path, real);
            return new OpenFile(FileChannel.open(real, StandardOpenOption.READ), state.size());
        } catch (IOException e) {
            throw LocalIoErrors.onRead(path, target, "get", e);
        }
    }

    /** Keeps {@code opened} open for later reads of {@code path}, or the file another thread kept first. */
    private OpenFile keep(String path, OpenFile opened) {
        OpenFile raced = open.putIfAbsent(path, opened);
        if (raced != null) {
            closeQuietly(opened);
            return raced;
        }
        if (storeClosed.getAsBoolean()) {
            forget(path, opened); // the store closed meanwhile and may have closed the others already
        } else {
            evictBeyondLimit(path);
        }
        return opened;
    }

    private void evictBeyondLimit(String keep) {
        Iterator<Map.Entry<String, OpenFile>> entries = open.entrySet().iterator();
        while (open.size() > maxOpen && entries.hasNext()) {
            Map.Entry<String, OpenFile> entry = entries.next();
            if (!entry.getKey().equals(keep)) {
                forget(entry.getKey(), entry.getValue());
            }
        }
    }

    private static byte[] readFrom(String path, OpenFile file, long start, long end) throws IOException {
        long size = file.size();
        if (start >= size && size > 0) {
            throw new PermanentObjectStoreException(path, "cannot read bytes [" + start + ", " + end + ") of "
                    + StorePaths.quote(path) + ": it holds " + size + " bytes", null);
        }
        long clippedEnd = Math.min(end, size);
        if (clippedEnd <= start) {
            return new byte[0];
        }
        if (clippedEnd - start > Integer.MAX_VALUE - 8) {
            throw new PermanentObjectStoreException(path, "cannot read " + (clippedEnd - start) + " bytes of "
                    + StorePaths.quote(path) + " into one array; read it in ranges", null);
        }
        byte[] data = new byte[(int) (clippedEnd - start)];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            if (file.channel().read(buffer, start + buffer.position()) < 0) {
                // Shorter than when it was opened: an object file is never truncated in place.
                throw new PermanentObjectStoreException(path, "the file of " + StorePaths.quote(path)
                        + " ended at " + (start + buffer.position()) + " bytes, below the " + size + " it had", null);
            }
        }
        return data;
    }

    private static void closeQuietly(OpenFile file) {
        try {
            file.channel().close();
        } catch (IOException ignored) {
            // A read-only channel: nothing was buffered that closing could lose.
        }
    }
}
