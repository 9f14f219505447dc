package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.DbReader;
import io.slatedb.DbReaderMode;
import io.slatedb.FlushType;
import io.slatedb.ManifestSnapshot;
import io.slatedb.ScanOptions;
import io.slatedb.WriteBatch;
import io.slatedb.store.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The tour {@code slatedb quickstart} takes: a fresh source database with a few hundred keys flushed to
 * SSTs, a checkpoint of it, a clone of that checkpoint, writes to the clone, and reads of both through
 * {@link DbReader}s that show the two databases diverged. Deletes both databases first, so it can be run
 * again and again.
 */
final class Quickstart {

    /** How many keys the source gets. */
    static final int SOURCE_KEYS = 300;
    /** How many new keys the clone gets (besides changing {@link #CHANGED_KEY}). */
    static final int CLONE_KEYS = 20;
    /** The key the clone overwrites. */
    static final String CHANGED_KEY = key("key-", 0);
    /** The value the clone gives {@link #CHANGED_KEY}. */
    static final String CHANGED_VALUE = "changed-in-clone";

    private final ObjectStore store;
    private final String sourcePath;
    private final String clonePath;

    Quickstart(ObjectStore store, String sourcePath, String clonePath) {
        this.store = store;
        this.sourcePath = sourcePath;
        this.clonePath = clonePath;
    }

    /**
     * What the tour saw.
     *
     * @param deletedObjects     objects of earlier runs deleted before starting (both databases)
     * @param l0Ssts             L0 SSTs of the source after its flush
     * @param checkpointId       the source checkpoint the clone starts from
     * @param checkpointManifest the source manifest the checkpoint pins
     * @param cloneManifest      the clone's first manifest
     * @param sharedSsts         source SSTs the clone reads in place
     * @param sourceView         what a reader of the source saw at the end
     * @param cloneView          what a reader of the clone saw at the end
     */
    record Report(int deletedObjects, int l0Ssts, UUID checkpointId, long checkpointManifest, long cloneManifest,
                  int sharedSsts, View sourceView, View cloneView) {
    }

    /**
     * What one reader saw.
     *
     * @param keys        every key
     * @param cloneKeys   keys starting with {@code clone-}
     * @param changedKey  the value of {@link #CHANGED_KEY}
     */
    record View(long keys, long cloneKeys, String changedKey) {
    }

    Report run() {
        // The clone first: deleting it releases the pin it holds in the source.
        int deleted = deleteDb(clonePath) + deleteDb(sourcePath);

        CheckpointCreateResult checkpoint;
        try (Db source = Db.open(sourcePath, store)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < SOURCE_KEYS; i++) {
                batch.put(utf8(key("key-", i)), utf8(key("value-", i)));
            }
            source.write(batch);
            source.flush(FlushType.MEMTABLE);
            checkpoint = source.createCheckpoint(CheckpointScope.ALL,
                    CheckpointOptions.builder().name("quickstart").build());
        }
        int l0Ssts;
        try (DatabaseManifests manifests = new DatabaseManifests(store, sourcePath)) {
            l0Ssts = TreeShape.of(manifests.latest().manifest()).l0Ssts();
        }

        ManifestSnapshot cloneManifest;
        try (Admin admin = Admin.builder(clonePath, store).build()) {
            cloneManifest = admin.createClone(sourcePath, checkpoint.id());
        }
        int shared = cloneManifest.manifest().externalDbs().stream().mapToInt(e -> e.sstIds().size()).sum();

        try (Db clone = Db.open(clonePath, store)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < CLONE_KEYS; i++) {
                batch.put(utf8(key("clone-", i)), utf8(key("clone-value-", i)));
            }
            batch.put(utf8(CHANGED_KEY), utf8(CHANGED_VALUE));
            clone.write(batch);
        }

        return new Report(deleted, l0Ssts, checkpoint.id(), checkpoint.manifestId(), cloneManifest.id(), shared,
                view(sourcePath), view(clonePath));
    }

    private int deleteDb(String path) {
        try (Admin admin = Admin.builder(path, store).build()) {
            return admin.deleteDb(true).size();
        }
    }

    private View view(String path) {
        try (DbReader reader = DbReader.builder(path, store).withReaderMode(DbReaderMode.FOLLOW_LATEST).build()) {
            long keys = count(reader.scan(null, null, ScanOptions.DEFAULT));
            long cloneKeys = count(reader.scanPrefix(utf8("clone-"), ScanOptions.DEFAULT));
            byte[] changed = reader.get(utf8(CHANGED_KEY));
            return new View(keys, cloneKeys, changed == null ? null : new String(changed, StandardCharsets.UTF_8));
        }
    }

    private static long count(DbIterator pairs) {
        try (pairs) {
            long n = 0;
            while (pairs.hasNext()) {
                pairs.next();
                n++;
            }
            return n;
        }
    }

    static String key(String prefix, int i) {
        return prefix + String.format("%03d", i);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
