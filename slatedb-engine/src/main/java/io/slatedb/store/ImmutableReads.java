package io.slatedb.store;

/**
 * Ranged reads of objects that are never replaced once written (SSTs), served on the calling thread.
 * A store offers them ({@link ObjectStore#immutableReads()}) when such a read costs less than handing it
 * to another thread would: a local directory (a positional read of a file it keeps open) or memory. A
 * remote store does not; its callers read through {@link ObjectStore#get(String, ByteRange)}.
 *
 * <p>Because the objects read are never replaced, an implementation may keep what it opened for a path
 * and skip the checks a {@code get} makes that data and metadata come from one version. Failures are
 * thrown as the {@link ObjectStoreException} subtypes a {@code get} fails with; a
 * {@link TransientObjectStoreException} is left to the caller to retry (through {@code get}, which
 * retries by the store stack's policy). Thread-safe.
 */
@FunctionalInterface
public interface ImmutableReads {

    /**
     * The bytes {@code [start, end)} of the object at {@code path}, clipped to its end (fewer bytes when
     * the object is shorter); a {@code start} past the end of a non-empty object fails with
     * {@link PermanentObjectStoreException}, a missing object with {@link ObjectNotFoundException}.
     *
     * @throws IllegalArgumentException when {@code start} is negative or {@code end} not above it
     */
    byte[] read(String path, long start, long end);
}
