package io.slatedb.metadata;

import io.slatedb.CorruptObjectException;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PreconditionFailedException;
import io.slatedb.store.PutMode;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The garbage collector's high-water mark for one sequence of metadata objects (RFC-0026): an object
 * holding an ASCII decimal id. GC raises it before deleting any version at or below it, and a writer
 * only reports a commit of version {@code i} after seeing the boundary below {@code i}, so a writer
 * stalled across a GC run cannot resurrect a deleted version. The value never moves backwards; a
 * missing file means 0. Always read fresh: never behind a cache.
 */
public final class BoundaryFile {
    private final ObjectStore store;
    private final String path;

    public BoundaryFile(ObjectStore store, String path) {
        this.store = store;
        this.path = path;
    }

    /** The object's path in its store. */
    public String path() {
        return path;
    }

    /** The current boundary; 0 when the file does not exist. */
    public CompletableFuture<Long> read() {
        return readWithEtag().thenApply(Current::value);
    }

    /** Raises the boundary to at least {@code boundary}; a lower or equal value leaves it unchanged. */
    public CompletableFuture<Void> advance(long boundary) {
        return readWithEtag().thenCompose(current -> {
            if (Long.compareUnsigned(current.value(), boundary) >= 0) {
                return CompletableFuture.completedFuture(null);
            }
            PutMode mode = current.etag() == null ? PutMode.CREATE : PutMode.ifMatch(current.etag());
            byte[] bytes = Long.toUnsignedString(boundary).getBytes(StandardCharsets.US_ASCII);
            return store.put(path, bytes, PutOptions.of(mode))
                    .<CompletableFuture<Void>>handle((ok, failure) -> {
                        if (failure == null) {
                            return CompletableFuture.completedFuture(null);
                        }
                        if (Futures.unwrap(failure) instanceof PreconditionFailedException
                                || Futures.unwrap(failure) instanceof ObjectNotFoundException) {
                            return advance(boundary); // another GC moved it meanwhile: re-read and retry
                        }
                        return CompletableFuture.failedFuture(Futures.unwrap(failure));
                    })
                    .thenCompose(f -> f);
        });
    }

    private record Current(long value, String etag) {
    }

    private CompletableFuture<Current> readWithEtag() {
        return store.get(path).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                if (cause instanceof ObjectNotFoundException) {
                    return new Current(0, null);
                }
                throw Futures.rethrow(cause);
            }
            String text = new String(result.data(), StandardCharsets.US_ASCII).trim();
            try {
                return new Current(Long.parseUnsignedLong(text), result.metadata().etag());
            } catch (NumberFormatException e) {
                throw new CorruptObjectException(path, "boundary is not a decimal id: '" + text + "'", e);
            }
        });
    }
}
