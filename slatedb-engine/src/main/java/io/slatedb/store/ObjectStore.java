package io.slatedb.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An object store as SlateDB needs it: whole-object puts (with create-if-absent and if-match
 * conditions), whole and ranged gets, head, sorted paged listing, delete and server-side copy.
 *
 * <p>Paths are relative to the store's root (a bucket and prefix, a directory, a memory space): segments
 * joined with {@code /}, no leading slash, no empty, {@code .} or {@code ..} segments. Every
 * operation is asynchronous; failures complete the future exceptionally with an
 * {@link ObjectStoreException} subtype:
 * <ul>
 *   <li>{@link ObjectNotFoundException}: the object does not exist (get, head, copy source, if-match put);</li>
 *   <li>{@link PreconditionFailedException}: a conditional put lost (its subtype
 *       {@link ObjectAlreadyExistsException} for create-if-absent);</li>
 *   <li>{@link TransientObjectStoreException}: a failure that may go away on retry (timeouts, throttling,
 *       5xx, connection resets);</li>
 *   <li>{@link PermanentObjectStoreException}: a failure that retrying cannot fix (access denied, bad
 *       request, an invalid path or range).</li>
 * </ul>
 * A path or list prefix that breaks the rules of {@link StorePaths} fails the future with
 * {@link PermanentObjectStoreException}; null data, options or ranges throw a
 * {@link NullPointerException} at the call. Futures fail with these exception types themselves;
 * stages chained onto them see them inside the JDK's {@code CompletionException}, and
 * {@link io.slatedb.util.Futures#join} unwraps it.
 *
 * <p>Implementations are thread-safe. Closing a store releases its clients and threads; wrappers close
 * the store they wrap.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Stores {@code data} at {@code path}. The object is complete and visible to every reader when the
     * future completes, and never partially visible before. With {@link PutMode#CREATE} exactly one of
     * several concurrent creators wins; the others fail with {@link ObjectAlreadyExistsException}.
     */
    CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options);

    /** An unconditional put without user metadata. */
    default CompletableFuture<PutResult> put(String path, byte[] data) {
        return put(path, data, PutOptions.OVERWRITE);
    }

    /** Reads a whole object. */
    CompletableFuture<GetResult> get(String path);

    /**
     * Reads part of an object. The range is clipped to the object's end (a suffix longer than the object
     * returns all of it); a range that starts past the end of a non-empty object fails with
     * {@link PermanentObjectStoreException}; any range of an empty object returns no bytes.
     * {@link GetResult#metadata()} describes the whole object.
     */
    CompletableFuture<GetResult> get(String path, ByteRange range);

    /** Reads an object's metadata (size, ETag, last-modified time and user metadata). */
    CompletableFuture<ObjectMetadata> head(String path);

    /**
     * Lists objects whose path starts with {@code prefix}, in ascending order of their UTF-8 bytes,
     * starting strictly after {@code startAfter} (null: from the first), at most {@code maxKeys} of them.
     * Listed entries carry size, ETag and last-modified time but no user metadata.
     */
    CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys);

    /** Deletes an object. Deleting an object that does not exist succeeds. */
    CompletableFuture<Void> delete(String path);

    /**
     * Copies an object inside the store without passing its bytes through this process where the store
     * allows it; the target is overwritten. User metadata is not carried over.
     */
    CompletableFuture<Void> copy(String fromPath, String toPath);

    /**
     * Reads of never-replaced objects on the calling thread, when this store serves them that cheaply
     * (see {@link ImmutableReads}); empty (the default) when every read goes through {@link #get}. A
     * wrapper offers them only when it knows what they bypass: by default it offers none.
     */
    default Optional<ImmutableReads> immutableReads() {
        return Optional.empty();
    }

    /** A short description of the store for logs and messages, e.g. {@code file:///data}. */
    String describe();

    /** Lists every object under {@code prefix}, following pages of {@code pageSize}. */
    default CompletableFuture<List<ObjectMetadata>> listAll(String prefix, int pageSize) {
        List<ObjectMetadata> all = new ArrayList<>();
        return listFrom(prefix, null, pageSize, all).thenApply(unused -> all);
    }

    /** Lists every object under {@code prefix}, 1000 per request. */
    default CompletableFuture<List<ObjectMetadata>> listAll(String prefix) {
        return listAll(prefix, 1000);
    }

    private CompletableFuture<Void> listFrom(String prefix, String startAfter, int pageSize,
                                             List<ObjectMetadata> into) {
        return list(prefix, startAfter, pageSize).thenCompose(page -> {
            into.addAll(page.objects());
            if (!page.truncated() || page.objects().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return listFrom(prefix, page.objects().get(page.objects().size() - 1).path(), pageSize, into);
        });
    }

    /** Releases the store's resources. Idempotent. */
    @Override
    void close();
}
