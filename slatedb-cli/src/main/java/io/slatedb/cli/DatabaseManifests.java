package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.DbPaths;
import io.slatedb.ErrorKind;
import io.slatedb.ManifestInfo;
import io.slatedb.ManifestSnapshot;
import io.slatedb.SlateDbException;
import io.slatedb.store.ObjectStore;

import java.util.List;

/**
 * Reads the manifests of the database at one path of a store, through an {@link Admin} (so with its
 * retries of transient store failures). Failures are {@link SlateDbException}s whose messages say which
 * object of which store was missing or corrupt. Close it when done; the store stays open.
 */
final class DatabaseManifests implements AutoCloseable {

    private final ObjectStore store;
    private final String dbPath;
    private final Admin admin;

    DatabaseManifests(ObjectStore store, String dbPath) {
        this.store = store;
        this.dbPath = dbPath;
        // Read-only: without boundary files the admin neither writes nor reads the GC boundary, which
        // only guards commits, and these reads commit nothing.
        this.admin = Admin.builder(dbPath, store).withBoundaryFiles(false).build();
    }

    /** The newest manifest; fails when the database has none. */
    ManifestSnapshot latest() {
        return admin.readManifest().orElseThrow(this::noManifest);
    }

    /** Manifest {@code id}; fails when it does not exist. */
    ManifestSnapshot read(long id) {
        return admin.readManifest(id).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                "manifest " + Long.toUnsignedString(id) + " does not exist: no object "
                        + DbPaths.manifestPath(dbPath, id)
                        + " in " + store.describe()));
    }

    /**
     * The stored manifests with ids from {@code startInclusive} up to but excluding {@code endExclusive}
     * (unsigned), in ascending id order; fails when the database has no manifest at all.
     */
    List<ManifestInfo> list(long startInclusive, long endExclusive) {
        List<ManifestInfo> all = admin.listManifests();
        if (all.isEmpty()) {
            throw noManifest();
        }
        return all.stream()
                .filter(m -> Long.compareUnsigned(m.id(), startInclusive) >= 0
                        && Long.compareUnsigned(m.id(), endExclusive) < 0)
                .toList();
    }

    @Override
    public void close() {
        admin.close();
    }

    private SlateDbException noManifest() {
        return new SlateDbException(ErrorKind.DATA, "no manifest exists at " + DbPaths.manifestDir(dbPath) + " in "
                + store.describe());
    }
}
