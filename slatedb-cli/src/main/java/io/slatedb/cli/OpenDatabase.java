package io.slatedb.cli;

import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.DbReader;
import io.slatedb.DbReader.Builder;
import io.slatedb.DbReaderMode;
import io.slatedb.ScanOptions;
import io.slatedb.Settings;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Model.CommandSpec;

import java.util.UUID;

/**
 * The database a data command works on, with the store it lives in; closing it closes both (the
 * database first, which flushes a writer's writes to the store).
 *
 * <p>It is opened either as the writer ({@link Db}), which fences any other writer of the database, or
 * as a {@link DbReader} for {@link #get} and {@link #scan}: a reader follows the latest manifest and WAL
 * (or reads one checkpoint) and writes nothing, so reading never disturbs a running writer.
 */
final class OpenDatabase implements AutoCloseable {

    private final ObjectStore store;
    private final Db db;
    private final DbReader reader;

    private OpenDatabase(ObjectStore store, Db db, DbReader reader) {
        this.store = store;
        this.db = db;
        this.reader = reader;
    }

    /** Opens (or creates) the database named by the global options as its writer. */
    static OpenDatabase forWriting(CommandSpec spec, DatabaseOptions databaseOptions) {
        // Settings first: a usage error must not leave a store open or a database created.
        Settings settings = databaseOptions.settings(spec);
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        ObjectStore store = options.openStore(spec);
        try {
            return new OpenDatabase(store, Db.builder(options.dbPath(), store).withSettings(settings).build(), null);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Opens the database named by the global options read-only: at its latest state, or at checkpoint
     * {@code checkpointId} when not null. Fails when there is no database (or no such checkpoint) rather
     * than creating anything.
     */
    static OpenDatabase forReading(CommandSpec spec, UUID checkpointId) {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        ObjectStore store = options.openStore(spec);
        try {
            // Checked here for a message that names the store; the reader would fail too.
            try (DatabaseManifests manifests = new DatabaseManifests(store, options.dbPath())) {
                manifests.latest();
            }
            DbReader.Builder builder = DbReader.builder(options.dbPath(), store);
            // FOLLOW_LATEST rather than the default managed checkpoint: a read must not write to the
            // manifest, so it works on read-only stores and never races the writer's commits.
            builder = checkpointId != null ? builder.withCheckpointId(checkpointId)
                    : builder.withReaderMode(DbReaderMode.FOLLOW_LATEST);
            return new OpenDatabase(store, null, builder.build());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The writer, for puts and deletes. */
    Db writer() {
        if (db == null) {
            throw new IllegalStateException("the database is open read-only");
        }
        return db;
    }

    /** The value of {@code key}, or null when it is absent or deleted. */
    byte[] get(byte[] key) {
        return db != null ? db.get(key) : reader.get(key);
    }

    /** The keys in {@code [start, end)} (either null: unbounded). */
    DbIterator scan(byte[] start, byte[] end, ScanOptions options) {
        return db != null ? db.scan(start, end, options) : reader.scan(start, end, options);
    }

    /** The keys starting with {@code prefix}. */
    DbIterator scanPrefix(byte[] prefix, ScanOptions options) {
        return db != null ? db.scanPrefix(prefix, options) : reader.scanPrefix(prefix, options);
    }

    @Override
    public void close() {
        try {
            if (db != null) {
                db.close();
            } else {
                reader.close();
            }
        } finally {
            store.close();
        }
    }
}
