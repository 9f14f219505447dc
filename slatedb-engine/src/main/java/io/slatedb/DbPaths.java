package io.slatedb;

import io.slatedb.format.DbLayout;

import java.util.Optional;

/**
 * Where a database keeps its objects in a store, for messages and tools: the rule for database paths and
 * the names of its manifest objects, as SlateDB lays them out.
 */
public final class DbPaths {

    private DbPaths() {
    }

    /** What is wrong with {@code dbPath} as a database path, or empty when it is one. */
    public static Optional<String> problem(String dbPath) {
        return DbLayout.pathProblem(dbPath);
    }

    /**
     * The directory of the manifests of the database at {@code dbPath}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code dbPath} is not a database path
     */
    public static String manifestDir(String dbPath) {
        return DbLayout.of(dbPath).manifestDir();
    }

    /**
     * The object holding manifest {@code id} (unsigned) of the database at {@code dbPath}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code dbPath} is not a database path
     */
    public static String manifestPath(String dbPath, long id) {
        return DbLayout.of(dbPath).manifestPath(id);
    }
}
