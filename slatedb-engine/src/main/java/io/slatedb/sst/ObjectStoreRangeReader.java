package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.store.ByteRange;
import io.slatedb.store.ObjectStore;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Reads ranges of one object of an {@link ObjectStore} with ranged GETs. */
public final class ObjectStoreRangeReader implements RangeReader {
    private final ObjectStore store;
    private final String path;

    public ObjectStoreRangeReader(ObjectStore store, String path) {
        this.store = Objects.requireNonNull(store, "store");
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public CompletableFuture<byte[]> read(long start, long end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        return store.get(path, ByteRange.of(start, end - start)).thenApply(result -> {
            byte[] data = result.data();
            if (data.length != end - start) {
                // SSTs are immutable: the object is shorter than its own footer says.
                throw new CorruptObjectException(path, "read of bytes [" + start + ", " + end + ") returned "
                        + data.length + " bytes (object size " + result.metadata().size() + ")");
            }
            return data;
        });
    }
}
