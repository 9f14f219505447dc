package io.slatedb.cli;

import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.ScanOptions;
import io.slatedb.Settings;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The database a data command works on, with the store it lives in; closing it closes both (the
 * database first, which flushes its writes to the store).
 *
 * <p>Reads go through {@link #get} and {@link #scan} so that they can move to a read-only handle
 * without touching the commands; for now every open is a writer ({@link Db}), which fences any
 * other writer of the database.
 */
final class OpenDatabase implements AutoCloseable {

    private final ObjectStore store;
    private final Db db;

    private OpenDatabase(ObjectStore store, Db db) {
        this.store = store;
        this.db = db;
    }

    /** Opens (or creates) the database named by the global options as its writer. */
    static OpenDatabase forWriting(CommandSpec spec, DatabaseOptions databaseOptions) {
        Settings settings = databaseOptions.settings(spec);
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        ObjectStore store = options.openStore(spec);
        try {
            return new OpenDatabase(store, Db.builder(options.dbPath(), store).withSettings(settings).build());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Opens the database named by the global options for reading; fails when there is none, rather
     * than creating an empty one.
     */
    static OpenDatabase forReading(CommandSpec spec, DatabaseOptions databaseOptions) {
        Settings settings = databaseOptions.settings(spec);
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        ObjectStore store = options.openStore(spec);
        try {
            new DatabaseManifests(store, options.dbPath()).latest();
            return new OpenDatabase(store, Db.builder(options.dbPath(), store).withSettings(settings).build());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The writer, for puts and deletes. */
    Db writer() {
        return db;
    }

    /** The value of {@code key}, or null when it is absent or deleted. */
    byte[] get(byte[] key) {
        return db.get(key);
    }

    /** The keys in {@code [start, end)} (either null: unbounded). */
    DbIterator scan(byte[] start, byte[] end, ScanOptions options) {
        return db.scan(start, end, options);
    }

    /** The keys starting with {@code prefix}. */
    DbIterator scanPrefix(byte[] prefix, ScanOptions options) {
        return db.scanPrefix(prefix, options);
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            store.close();
        }
    }
}
