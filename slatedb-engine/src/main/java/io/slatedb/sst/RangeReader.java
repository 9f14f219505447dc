package io.slatedb.sst;

import java.util.concurrent.CompletableFuture;

/**
 * Reads byte ranges of one object. The future fails with {@link io.slatedb.CorruptObjectException}
 * when the object holds fewer bytes than asked for, and with the store's exception when the read fails.
 */
@FunctionalInterface
public interface RangeReader {
    /** Exactly the bytes {@code [start, end)} of the object. */
    CompletableFuture<byte[]> read(long start, long end);
}
