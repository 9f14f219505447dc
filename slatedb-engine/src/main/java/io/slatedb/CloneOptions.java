package io.slatedb;

import io.slatedb.store.ObjectStore;

import java.util.List;
import java.util.Objects;

/**
 * How {@link Admin#createClone(CloneOptions)} makes a clone (SlateDB's {@code CloneBuilder}).
 *
 * @param sources  the databases the clone starts from: one (a fork of it), or several with disjoint key
 *                 ranges (a union; each source then must hold no data in its WAL, only in SSTs). Never
 *                 empty, no path twice
 * @param walStore the object store holding the sources' {@code wal/} when they keep their WAL apart from
 *                 the main store; null when the WAL lives in the admin's store. The copied WAL SSTs
 *                 stay in that store, under the clone's path
 */
public record CloneOptions(List<CloneSource> sources, ObjectStore walStore) {

    public CloneOptions {
        sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    }

    /** A clone of one source, WAL in the main store. */
    public static CloneOptions of(CloneSource source) {
        return new CloneOptions(List.of(source), null);
    }

    /** A clone of {@code sources} (a union when there are several), WAL in the main store. */
    public static CloneOptions union(List<CloneSource> sources) {
        return new CloneOptions(sources, null);
    }

    /** These options with the sources' WAL in {@code store}. */
    public CloneOptions withWalStore(ObjectStore store) {
        return new CloneOptions(sources, Objects.requireNonNull(store, "store"));
    }
}
