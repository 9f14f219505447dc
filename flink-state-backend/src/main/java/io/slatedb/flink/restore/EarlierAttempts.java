package io.slatedb.flink.restore;

import io.slatedb.Admin;
import io.slatedb.SlateDbException;
import io.slatedb.store.ListPage;
import io.slatedb.store.ObjectStore;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the databases of earlier attempts of a subtask that nothing needs any more, so a job that
 * fails over again and again does not leave a database per attempt behind.
 *
 * <p>The databases swept are those of the same job, operator and key-group range as the running
 * attempt (one prefix, {@code <path>/<job>/<operator>/kg-<first>-<last>-attempt-}), other than its own.
 * Within one job only one attempt of a key-group range runs at a time, and that is the caller, so such
 * a database is an earlier attempt's (or a zombie's, which may fail). One is deleted only when it holds
 * no SlateDB checkpoint: Flink still needs a database whose checkpoint it has not discarded, and a
 * database that a later attempt cloned keeps that clone's pin checkpoint until the clone is deleted
 * (deleting a clone releases its pins, so its source may go in the same sweep). Other jobs (forks
 * sharing the path) and other key-group ranges are never touched.
 */
@Internal
public final class EarlierAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(EarlierAttempts.class);

    private EarlierAttempts() {
    }

    /**
     * Deletes every database under {@code attemptPrefix} except {@code ownDatabase} that holds no
     * checkpoint, repeating while a deletion released another one. Failures are logged: a database
     * left behind is only space, never a wrong state.
     *
     * @return the databases deleted
     */
    public static List<String> sweep(ObjectStore store, String attemptPrefix, String ownDatabase) {
        List<String> deleted = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String database : databases(store, attemptPrefix)) {
                if (database.equals(ownDatabase) || deleted.contains(database)) {
                    continue;
                }
                if (deleteIfUnreferenced(store, database)) {
                    deleted.add(database);
                    progress = true;
                }
            }
        }
        return deleted;
    }

    private static boolean deleteIfUnreferenced(ObjectStore store, String database) {
        try (Admin admin = Admin.builder(database, store).build()) {
            if (!admin.listCheckpoints().isEmpty()) {
                return false;
            }
            admin.deleteDb(true);
            LOG.info("Deleted the database {} of an earlier attempt: no checkpoint references it", database);
            return true;
        } catch (SlateDbException e) {
            LOG.warn("Could not delete the database {} of an earlier attempt: {}", database, e.getMessage());
            return false;
        }
    }

    /** The databases under {@code prefix}, one list request each (the listing skips past each one's objects). */
    static List<String> databases(ObjectStore store, String prefix) {
        List<String> databases = new ArrayList<>();
        String startAfter = null;
        while (true) {
            ListPage page = store.list(prefix, startAfter, 1).join();
            if (page.objects().isEmpty()) {
                return databases;
            }
            String object = page.objects().get(0).path();
            int end = object.indexOf('/', prefix.length());
            if (end < 0) {
                // A stray object directly under the prefix, not a database.
                startAfter = object;
                continue;
            }
            String database = object.substring(0, end);
            databases.add(database);
            // Every object of the database is "<database>/..." and sorts before "<database>0".
            startAfter = database + "0";
        }
    }
}
