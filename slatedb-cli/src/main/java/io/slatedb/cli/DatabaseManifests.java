package io.slatedb.cli;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.SequencedObjectStore.Listed;
import io.slatedb.metadata.Versioned;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.util.List;

/**
 * Reads the manifests of the database at one path of a store. Failures are {@link SlateDbException}s
 * whose messages say which object of which store was missing or corrupt.
 */
final class DatabaseManifests {

    private final ObjectStore store;
    private final DbLayout layout;
    private final SequencedObjectStore<Manifest> manifests;

    DatabaseManifests(ObjectStore store, String dbPath) {
        this.store = store;
        this.layout = DbLayout.of(dbPath);
        // Read-only: without boundary files the sequence neither writes nor reads the GC boundary,
        // which only guards commits, and the command line commits nothing.
        this.manifests = ManifestStore.sequence(store, layout, false);
    }

    /** The newest manifest; fails when the database has none. */
    Versioned<Manifest> latest() {
        return Futures.join(manifests.readLatest()).orElseThrow(this::noManifest);
    }

    /** Manifest {@code id}; fails when it does not exist. */
    Versioned<Manifest> read(long id) {
        return Futures.join(manifests.read(id)).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                "manifest " + Long.toUnsignedString(id) + " does not exist: no object " + layout.manifestPath(id)
                        + " in " + store.describe()));
    }

    /**
     * The stored manifests with ids from {@code startInclusive} up to but excluding {@code endExclusive}
     * (unsigned), in ascending id order; fails when the database has no manifest at all.
     */
    List<Listed> list(long startInclusive, long endExclusive) {
        List<Listed> all = Futures.join(manifests.listIds());
        if (all.isEmpty()) {
            throw noManifest();
        }
        return all.stream()
                .filter(m -> Long.compareUnsigned(m.id(), startInclusive) >= 0
                        && Long.compareUnsigned(m.id(), endExclusive) < 0)
                .toList();
    }

    private SlateDbException noManifest() {
        return new SlateDbException(ErrorKind.DATA, "no manifest exists at " + layout.manifestDir() + " in "
                + store.describe());
    }
}
