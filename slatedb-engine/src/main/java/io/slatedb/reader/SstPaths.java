package io.slatedb.reader;

import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.ExternalDb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the compacted SSTs of one manifest live: {@code <root>/compacted/<ulid>.sst}, except the SSTs
 * a clone still reads from the database it was cloned from, listed under the manifest's external
 * databases, which live under that database's root. Immutable.
 */
public final class SstPaths {
    private final DbLayout root;
    private final Map<Ulid, DbLayout> external;

    private SstPaths(DbLayout root, Map<Ulid, DbLayout> external) {
        this.root = root;
        this.external = external;
    }

    /**
     * The paths of a database at {@code rootPath} whose manifest lists {@code externalDbs}. An id listed
     * by more than one external database resolves to the first that lists it.
     */
    public static SstPaths of(String rootPath, List<ExternalDb> externalDbs) {
        Objects.requireNonNull(rootPath, "rootPath");
        Map<Ulid, DbLayout> external = new HashMap<>();
        for (ExternalDb db : externalDbs) {
            DbLayout layout = DbLayout.of(db.path());
            for (Ulid id : db.sstIds()) {
                external.putIfAbsent(id, layout);
            }
        }
        return new SstPaths(DbLayout.of(rootPath), Map.copyOf(external));
    }

    /** The paths of a database at {@code rootPath} that reads no other database's SSTs. */
    public static SstPaths of(String rootPath) {
        return of(rootPath, List.of());
    }

    /** The object path of compacted SST {@code id}. */
    public String pathOf(Ulid id) {
        return external.getOrDefault(id, root).compactedSstPath(id);
    }

    /** The database's own root. */
    public DbLayout root() {
        return root;
    }
}
