package io.slatedb.metadata;

import io.slatedb.ErrorKind;
import io.slatedb.format.DbLayout;
import io.slatedb.SlateDbException;
import io.slatedb.store.ObjectAlreadyExistsException;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.PutOptions;
import io.slatedb.util.Futures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The versions of one metadata object, stored as {@code <directory>/<20-digit id>.<suffix>} (SlateDB's
 * manifests and compactor state). Committing version N+1 is a create-if-absent put, so at most one
 * writer wins each id; a commit also has to land above the GC {@link BoundaryFile}.
 *
 * <p>Reading the latest version probes upward from the last version this instance saw (up to
 * {@value #MAX_PROBES} GETs) and falls back to a LIST, so a process that keeps up with the object's
 * history never lists. Thread-safe.
 */
public final class SequencedObjectStore<T> {
    /** Consecutive hits after which probing gives way to a LIST (RFC-0032). */
    static final int MAX_PROBES = 4;

    private final ObjectStore store;
    private final String directory;
    private final String suffix;
    private final ObjectCodec<T> codec;
    private final BoundaryFile boundary;
    private volatile Versioned<T> latestSeen;

    /**
     * @param directory the objects' directory, e.g. {@code mydb/manifest}
     * @param suffix    the file extension without the dot, e.g. {@code manifest}
     * @param boundary  the GC boundary for this sequence, or null when boundary files are disabled
     */
    public SequencedObjectStore(ObjectStore store, String directory, String suffix, ObjectCodec<T> codec,
                                BoundaryFile boundary) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.boundary = boundary;
    }

    /** The object path of version {@code id}. */
    public String path(long id) {
        if (id == 0) {
            throw new IllegalArgumentException("object ids start at 1: " + Long.toUnsignedString(id));
        }
        return (directory.isEmpty() ? "" : directory + "/") + DbLayout.paddedId(id) + "." + suffix;
    }

    /** The id encoded in an object path of this sequence, if it is one. */
    public OptionalLong parseId(String path) {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        if (!path.startsWith(prefix)) {
            return OptionalLong.empty();
        }
        if (path.indexOf('/', prefix.length()) >= 0) {
            return OptionalLong.empty(); // in a subdirectory
        }
        return DbLayout.parseSequenceId(path, suffix)
                .filter(id -> id != 0)
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    /** Version {@code id}, or empty when it does not exist. */
    public CompletableFuture<Optional<Versioned<T>>> read(long id) {
        String path = path(id);
        return store.get(path).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                if (cause instanceof ObjectNotFoundException) {
                    return Optional.<Versioned<T>>empty();
                }
                throw Futures.rethrow(cause);
            }
            return Optional.of(new Versioned<>(id, codec.decode(path, result.data())));
        });
    }

    /** The newest version, or empty when the object has never been written. */
    public CompletableFuture<Optional<Versioned<T>>> readLatest() {
        Versioned<T> cached = latestSeen;
        CompletableFuture<Optional<Versioned<T>>> found =
                cached == null ? listAndReadLatest() : probeFrom(cached, 0);
        return found.thenCompose(latest -> {
            if (latest.isEmpty() || boundary == null) {
                return CompletableFuture.completedFuture(latest);
            }
            return boundary.read().thenCompose(b -> {
                if (Long.compareUnsigned(latest.get().id(), b) > 0) {
                    remember(latest.get());
                    return CompletableFuture.completedFuture(latest);
                }
                // GC has passed what we found (we raced a collection): forget it and list afresh.
                forget(latest.get().id());
                return listAndReadLatest();
            });
        });
    }

    private CompletableFuture<Optional<Versioned<T>>> probeFrom(Versioned<T> lastHit, int hits) {
        if (hits == MAX_PROBES) {
            return listAndReadLatest();
        }
        return read(lastHit.id() + 1).thenCompose(next -> next.isEmpty()
                ? CompletableFuture.completedFuture(Optional.of(lastHit))
                : probeFrom(next.get(), hits + 1));
    }

    private CompletableFuture<Optional<Versioned<T>>> listAndReadLatest() {
        return listIds().thenCompose(ids -> {
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Versioned<T>>empty());
            }
            long newest = ids.get(ids.size() - 1).id();
            return read(newest).thenCompose(found -> found.isPresent()
                    ? CompletableFuture.completedFuture(found)
                    : listAndReadLatest()); // deleted between LIST and GET: list again
        });
    }

    /** A version's id and object metadata, as listed. */
    public record Listed(long id, ObjectMetadata metadata) {
    }

    /** Every stored version in ascending id order. Objects whose names don't parse are skipped. */
    public CompletableFuture<List<Listed>> listIds() {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        return store.listAll(prefix).thenApply(objects -> {
            List<Listed> ids = new ArrayList<>();
            for (ObjectMetadata object : objects) {
                parseId(object.path()).ifPresent(id -> ids.add(new Listed(id, object)));
            }
            ids.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
            return ids;
        });
    }

    /**
     * Commits {@code value} as version {@code id}. Fails with {@link ObjectVersionExistsException} when
     * another writer committed that id first or when the GC boundary has reached it.
     */
    public CompletableFuture<Versioned<T>> create(long id, T value) {
        String path = path(id);
        byte[] bytes = codec.encode(value);
        return store.put(path, bytes, PutOptions.CREATE).handle((ok, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                if (cause instanceof ObjectAlreadyExistsException) {
                    throw new ObjectVersionExistsException(path, "another writer committed it first");
                }
                throw Futures.rethrow(cause);
            }
            return null;
        }).thenCompose(unused -> boundary == null ? CompletableFuture.completedFuture(0L) : boundary.read())
                .thenApply(b -> {
                    if (Long.compareUnsigned(id, b) <= 0) {
                        forget(id);
                        throw new ObjectVersionExistsException(path,
                                "garbage collection has passed it (boundary " + Long.toUnsignedString(b) + ")");
                    }
                    Versioned<T> written = new Versioned<>(id, value);
                    remember(written);
                    return written;
                });
    }

    /**
     * Deletes version {@code id}; only versions at or below the GC boundary may be deleted, so the
     * boundary must be advanced first.
     */
    public CompletableFuture<Void> delete(long id) {
        if (boundary == null) {
            return store.delete(path(id));
        }
        return boundary.read().thenCompose(b -> {
            if (Long.compareUnsigned(id, b) > 0) {
                // GC must raise the boundary before deleting (RFC-0026); doing otherwise is a bug.
                throw new SlateDbException(ErrorKind.INTERNAL, "cannot delete " + path(id)
                        + " above the GC boundary " + Long.toUnsignedString(b));
            }
            forget(id);
            return store.delete(path(id));
        });
    }

    private void remember(Versioned<T> version) {
        synchronized (this) {
            Versioned<T> current = latestSeen;
            if (current == null || Long.compareUnsigned(version.id(), current.id()) > 0) {
                latestSeen = version;
            }
        }
    }

    /**
     * Forgets the latest version seen, so that the next {@link #readLatest} lists afresh: for a caller
     * that has deleted the objects (a latest version is otherwise never deleted, so the cache is kept).
     */
    public void forgetLatest() {
        synchronized (this) {
            latestSeen = null;
        }
    }

    private void forget(long id) {
        synchronized (this) {
            Versioned<T> current = latestSeen;
            if (current != null && Long.compareUnsigned(current.id(), id) <= 0) {
                latestSeen = null;
            }
        }
    }
}
