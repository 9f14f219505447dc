package io.slatedb.sst;

import io.slatedb.CorruptObjectException;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reads ranges of bytes held in memory: a whole object, or its tail starting at {@code start}.
 * Reads complete immediately.
 */
public final class ByteArrayRangeReader implements RangeReader {
    private final String path;
    private final byte[] bytes;
    private final long start;

    /** A reader of an object whose bytes from {@code start} to its end are {@code bytes}. */
    public ByteArrayRangeReader(String path, byte[] bytes, long start) {
        this.path = Objects.requireNonNull(path, "path");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.start = start;
    }

    /** A reader of the whole object {@code bytes}. */
    public ByteArrayRangeReader(String path, byte[] bytes) {
        this(path, bytes, 0);
    }

    /** How many bytes of the object this reader holds. */
    public long heldBytes() {
        return bytes.length;
    }

    @Override
    public CompletableFuture<byte[]> read(long from, long to) {
        if (from < start || to < from || to - start > bytes.length) {
            return CompletableFuture.failedFuture(new CorruptObjectException(path, "bytes [" + from + ", " + to
                    + ") are outside the " + bytes.length + " bytes held from offset " + start));
        }
        return CompletableFuture.completedFuture(Arrays.copyOfRange(bytes, (int) (from - start), (int) (to - start)));
    }
}
