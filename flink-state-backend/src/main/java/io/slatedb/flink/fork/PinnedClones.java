package io.slatedb.flink.fork;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointInfo;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.DbReader;
import io.slatedb.KeyValue;
import io.slatedb.MergeOperator;
import io.slatedb.PutOptions;
import io.slatedb.Ttl;
import io.slatedb.WriteOptions;
import io.slatedb.ManifestSnapshot;
import io.slatedb.ManifestView;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import io.slatedb.store.ObjectStore;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Databases that hold a snapshot for as long as someone needs it: a native savepoint's subtask state,
 * a fork made by {@code slatedb flink fork}. Each is a SlateDB clone of a snapshot's database at its
 * checkpoint (no SST copied: the clone pins what it reads in its sources itself) with one never-expiring
 * checkpoint of its own, the pin, which is what the snapshot's descriptor names and what restores clone
 * from. Releasing the pin releases the database.
 */
@Internal
public final class PinnedClones {

    /** The name of the pin checkpoint in a pinned clone. */
    public static final String PIN_NAME = "flink-pin";

    private static final Logger LOG = LoggerFactory.getLogger(PinnedClones.class);

    private PinnedClones() {
    }

    /**
     * Makes {@code clonePath} (which must not hold a database yet, or only an interrupted clone of the
     * same source) a clone of {@code source}'s database at its checkpoint, pins it, and returns the
     * clone's descriptor: the same key groups and state meta data, the clone's path and pin.
     */
    public static CheckpointDescriptor clone(ObjectStore store, CheckpointDescriptor source, String clonePath) {
        try (Admin admin = Admin.builder(clonePath, store).build()) {
            try {
                admin.createClone(source.getPath(), UUID.fromString(source.getCheckpointId()));
                CheckpointCreateResult pin = admin.createDetachedCheckpoint(
                        CheckpointOptions.builder().name(PIN_NAME).build());
                return source.toBuilder()
                        .setPath(clonePath)
                        .setCheckpointId(pin.id().toString())
                        .setManifestId(pin.manifestId())
                        .setFullSizeBytes(admin.checkpointSize(pin.id()).sstBytes())
                        .build();
            } catch (RuntimeException e) {
                // No pin, no one to release it: the half-made clone goes (with the pins it took).
                deleteQuietly(admin);
                throw e;
            }
        }
    }

    /**
     * Makes {@code copyPath} a detached copy of {@code source}'s database at its checkpoint: every row (merge
     * operands merged by {@code mergeOperator}, expiry times kept) read there and written into a new
     * database with SSTs of its own, which pins nothing and survives the source's deletion. It gets a pin
     * like a clone, and returns its descriptor. Costs the state's size in time and bytes.
     */
    public static CheckpointDescriptor copy(ObjectStore store, CheckpointDescriptor source, String copyPath,
                                            MergeOperator mergeOperator) {
        try {
            try (DbReader reader = DbReader.builder(source.getPath(), store)
                         .withCheckpointId(UUID.fromString(source.getCheckpointId()))
                         .withMergeOperator(mergeOperator)
                         .build();
                 DbIterator rows = reader.scan(null, null);
                 Db copy = Db.builder(copyPath, store).withMergeOperator(mergeOperator).build()) {
                while (rows.hasNext()) {
                    KeyValue row = rows.next();
                    Ttl ttl = row.expireTs().isPresent() ? Ttl.expireAt(Instant.ofEpochMilli(row.expireTs().getAsLong()))
                            : Ttl.NO_EXPIRY;
                    copy.put(row.key(), row.value(), new PutOptions(ttl), WriteOptions.NO_AWAIT);
                }
                CheckpointCreateResult pin = copy.createCheckpoint(CheckpointScope.ALL,
                        CheckpointOptions.builder().name(PIN_NAME).build());
                try (Admin admin = Admin.builder(copyPath, store).build()) {
                    return source.toBuilder()
                            .setPath(copyPath)
                            .setCheckpointId(pin.id().toString())
                            .setManifestId(pin.manifestId())
                            .setFullSizeBytes(admin.checkpointSize(pin.id()).sstBytes())
                            .build();
                }
            }
        } catch (RuntimeException e) {
            try (Admin admin = Admin.builder(copyPath, store).build()) {
                deleteQuietly(admin);
            }
            throw e;
        }
    }

    /**
     * Releases the pinned clone {@code path}: deletes its pin {@code pin}, then the database (which releases
     * the pins it holds in its sources, so their collectors may reclaim what nothing else reads), unless
     * other databases still read SSTs it owns (a fork of a detached copy pins it then; it stays, and is
     * only space). A clone that owns no SST is deleted even while forks pin it: they read nothing in it.
     * Releasing a database that is gone does nothing.
     *
     * @return whether the database was deleted (or was gone already)
     */
    public static boolean release(ObjectStore store, String path, UUID pin) {
        try (Admin admin = Admin.builder(path, store).build()) {
            if (admin.readManifest().isEmpty()) {
                return true;
            }
            admin.deleteCheckpoint(pin);
            List<CheckpointInfo> others = admin.listCheckpoints();
            Optional<ManifestSnapshot> manifest = admin.readManifest();
            if (!others.isEmpty() && manifest.isPresent() && ownsSsts(manifest.get().manifest())) {
                LOG.info("Kept the database {} after releasing its pin: {} other checkpoint(s) keep SSTs it owns",
                        path, others.size());
                return false;
            }
            admin.deleteDb(true);
            return true;
        }
    }

    private static void deleteQuietly(Admin admin) {
        try {
            admin.deleteDb(true);
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the unfinished clone {}: {}", admin.path(), e.getMessage());
        }
    }

    /** Whether a tree of {@code manifest} holds an SST of the database's own (not read from a source). */
    static boolean ownsSsts(ManifestView manifest) {
        Set<String> external = new HashSet<>();
        manifest.externalDbs().forEach(db -> external.addAll(db.sstIds()));
        for (ManifestView.Tree tree : manifest.allTrees()) {
            for (ManifestView.SstView sst : tree.l0()) {
                if (!external.contains(sst.sst().id())) {
                    return true;
                }
            }
            for (ManifestView.SortedRun run : tree.sortedRuns()) {
                for (ManifestView.SstView sst : run.ssts()) {
                    if (!external.contains(sst.sst().id())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
