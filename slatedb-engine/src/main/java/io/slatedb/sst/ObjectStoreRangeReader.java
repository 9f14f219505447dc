package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.store.ByteRange;
import io.slatedb.store.ImmutableReads;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStoreException;
import io.slatedb.store.TransientObjectStoreException;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reads ranges of one object of an {@link ObjectStore}, which is never replaced (an SST): on the calling
 * thread when the store offers {@link ObjectStore#immutableReads()} (a block-cache miss on a local store
 * then costs a positional read, with no hop to the store's threads and back), with ranged GETs otherwise
 * and for whatever an immediate read fails with transiently (the GET retries it by the store's policy).
 */
public final class ObjectStoreRangeReader implements RangeReader {
    private final ObjectStore store;
    private final String path;
    private final ImmutableReads immediate;

    public ObjectStoreRangeReader(ObjectStore store, String path) {
        this.store = Objects.requireNonNull(store, "store");
        this.path = Objects.requireNonNull(path, "path");
        this.immediate = store.immutableReads().orElse(null);
    }

    @Override
    public CompletableFuture<byte[]> read(long start, long end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        if (immediate != null) {
            try {
                return CompletableFuture.completedFuture(exact(immediate.read(path, start, end), start, end, -1));
            } catch (TransientObjectStoreException e) {
                // Read it again the way that retries.
            } catch (ObjectStoreException | CorruptObjectException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return store.get(path, ByteRange.of(start, end - start))
                .thenApply(result -> exact(result.data(), start, end, result.metadata().size()));
    }

    /** {@code data}, which must hold all of {@code [start, end)}; {@code size} is the object's, -1 if unknown. */
    private byte[] exact(byte[] data, long start, long end, long size) {
        if (data.length != end - start) {
            // SSTs are immutable: the object is shorter than its own footer says.
            throw new CorruptObjectException(path, "read of bytes [" + start + ", " + end + ") returned "
                    + data.length + " bytes" + (size < 0 ? "" : " (object size " + size + ")"));
        }
        return data;
    }
}
