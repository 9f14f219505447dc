package io.slatedb.store;

import io.slatedb.util.Utf8Order;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} held in this process's memory ({@code memory:///}), for tests and for
 * databases that need not outlive the process.
 *
 * <p>It behaves like the other stores: create-if-absent and if-match are atomic (of concurrent
 * conditional puts exactly one wins), every write gets a new ETag (even when the bytes are the same),
 * listings are sorted by the UTF-8 bytes of the path, and paths follow {@link StorePaths}. Byte arrays
 * are copied on the way in and out, so callers may reuse theirs. Last-modified times come from the
 * {@link Clock} given to the constructor.
 *
 * <p>Operations do no I/O, so they run on the caller's thread and return already-completed futures.
 * After {@link #close()} the objects are dropped and every operation fails with
 * {@link PermanentObjectStoreException}.
 */
public final class InMemoryObjectStore implements ObjectStore {

    /** One stored version of an object. Its byte array is never handed out. */
    private record StoredObject(byte[] data, String etag, Instant lastModified, Map<String, String> userMetadata) {
        ObjectMetadata metadata(String path) {
            return new ObjectMetadata(path, data.length, etag, lastModified, userMetadata);
        }
    }

    private final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>(Utf8Order.COMPARATOR);
    private final AtomicLong writes = new AtomicLong();
    private final Clock clock;
    private volatile boolean closed;

    /** An empty store whose last-modified times come from the system clock (UTC). */
    public InMemoryObjectStore() {
        this(Clock.systemUTC());
    }

    /** An empty store whose last-modified times come from {@code clock}. */
    public InMemoryObjectStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        return run(() -> {
            StorePaths.checkPath(path);
            StoredObject fresh = newVersion(data.clone(), options.userMetadata());
            PutMode mode = options.mode();
            if (mode instanceof PutMode.Create) {
                if (objects.putIfAbsent(path, fresh) != null) {
                    throw new ObjectAlreadyExistsException(path);
                }
            } else if (mode instanceof PutMode.IfMatch ifMatch) {
                replaceIfMatch(path, ifMatch.etag(), fresh);
            } else {
                objects.put(path, fresh);
            }
            return new PutResult(fresh.etag());
        });
    }

    /** Compare-and-swap on the current version, so that of racing if-match puts exactly one wins. */
    private void replaceIfMatch(String path, String expectedEtag, StoredObject fresh) {
        while (true) {
            StoredObject current = objects.get(path);
            if (current == null) {
                throw new ObjectNotFoundException(path);
            }
            if (!current.etag().equals(expectedEtag)) {
                throw new PreconditionFailedException(path, "precondition failed for " + path + ": its ETag is "
                        + current.etag() + ", not " + expectedEtag, null);
            }
            if (objects.replace(path, current, fresh)) {
                return;
            }
            // Another writer replaced or deleted it in between: check the condition again.
        }
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return run(() -> {
            StoredObject stored = require(path);
            return new GetResult(stored.data().clone(), stored.metadata(path));
        });
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        Objects.requireNonNull(range, "range");
        return run(() -> {
            StoredObject stored = require(path);
            long size = stored.data().length;
            long start;
            long end;
            try {
                start = range.startIn(size);
                end = range.endIn(size);
            } catch (IllegalArgumentException e) {
                throw new PermanentObjectStoreException(path, "cannot read " + range + " of " + path + ": "
                        + e.getMessage(), e);
            }
            return new GetResult(Arrays.copyOfRange(stored.data(), (int) start, (int) end), stored.metadata(path));
        });
    }

    /** Copies out of the stored array on the calling thread: a get does nothing more. */
    @Override
    public Optional<ImmutableReads> immutableReads() {
        return Optional.of(this::readNow);
    }

    private byte[] readNow(String path, long start, long end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        if (closed) {
            throw new PermanentObjectStoreException(null, "the object store " + describe() + " is closed", null);
        }
        byte[] data = require(path).data();
        if (start >= data.length && data.length > 0) {
            throw new PermanentObjectStoreException(path, "cannot read bytes [" + start + ", " + end + ") of " + path
                    + ": it holds " + data.length + " bytes", null);
        }
        return Arrays.copyOfRange(data, (int) Math.min(start, data.length), (int) Math.min(end, data.length));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return run(() -> require(path).metadata(path));
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return run(() -> {
            StorePaths.checkPrefix(prefix);
            if (maxKeys < 1) {
                throw new PermanentObjectStoreException(prefix, "maxKeys must be at least 1, got " + maxKeys, null);
            }
            ConcurrentNavigableMap<String, StoredObject> candidates =
                    startAfter != null && Utf8Order.compare(startAfter, prefix) >= 0
                            ? objects.tailMap(startAfter, false)
                            : objects.tailMap(prefix, true);
            List<ObjectMetadata> page = new ArrayList<>(Math.min(maxKeys, 1024));
            for (Map.Entry<String, StoredObject> entry : candidates.entrySet()) {
                // Keys sharing a prefix are contiguous in code point order, so the first miss ends it.
                if (!entry.getKey().startsWith(prefix)) {
                    break;
                }
                if (page.size() == maxKeys) {
                    return new ListPage(page, true);
                }
                StoredObject stored = entry.getValue();
                page.add(new ObjectMetadata(entry.getKey(), stored.data().length, stored.etag(),
                        stored.lastModified(), Map.of()));
            }
            return new ListPage(page, false);
        });
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return run(() -> {
            StorePaths.checkPath(path);
            objects.remove(path);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return run(() -> {
            StorePaths.checkPath(toPath);
            StoredObject source = require(fromPath);
            // The array is never mutated, so the copy can share it.
            objects.put(toPath, newVersion(source.data(), Map.of()));
            return null;
        });
    }

    @Override
    public String describe() {
        return "memory:///";
    }

    /** Drops every object; later operations fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        objects.clear();
    }

    private StoredObject newVersion(byte[] ownedData, Map<String, String> userMetadata) {
        String etag = Long.toHexString(writes.incrementAndGet());
        return new StoredObject(ownedData, etag, clock.instant(), userMetadata);
    }

    private StoredObject require(String path) {
        StorePaths.checkPath(path);
        StoredObject stored = objects.get(path);
        if (stored == null) {
            throw new ObjectNotFoundException(path);
        }
        return stored;
    }

    private <T> CompletableFuture<T> run(Supplier<T> operation) {
        if (closed) {
            return CompletableFuture.failedFuture(new PermanentObjectStoreException(null,
                    "the object store " + describe() + " is closed", null));
        }
        try {
            return CompletableFuture.completedFuture(operation.get());
        } catch (ObjectStoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
