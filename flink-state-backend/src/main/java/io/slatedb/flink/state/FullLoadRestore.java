package io.slatedb.flink.state;

import io.slatedb.Db;
import io.slatedb.WriteBatch;
import io.slatedb.WriteOptions;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StateSerializerProvider;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.restore.FullSnapshotRestoreOperation;
import org.apache.flink.runtime.state.restore.KeyGroup;
import org.apache.flink.runtime.state.restore.KeyGroupEntry;
import org.apache.flink.runtime.state.restore.SavepointRestoreResult;
import org.apache.flink.runtime.state.restore.ThrowingIterator;
import org.apache.flink.util.StateMigrationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores a full snapshot in Flink's portable format (a canonical savepoint of any keyed state backend)
 * by loading every entry of this subtask's key groups into the new, empty database, in the key layout of
 * {@link StateKeys}: the canonical key with the state id after its key group, the value as it is. Timers
 * go into the database like states; when timers live on the heap, the backend moves them there from the
 * database as it does after a clone.
 */
final class FullLoadRestore {

    /** Entries are written in batches of about this many bytes. */
    static final int BATCH_BYTES = 4 << 20;

    private static final byte[] EMPTY = new byte[0];

    private FullLoadRestore() {
    }

    /**
     * Whether {@code handles} are full snapshots this class restores; false when they are this backend's
     * own snapshots (restored as clones).
     *
     * @throws StateMigrationException when they mix both kinds
     */
    static boolean appliesTo(Collection<KeyedStateHandle> handles) throws StateMigrationException {
        long full = handles.stream().filter(h -> h instanceof KeyGroupsStateHandle).count();
        if (full > 0 && full < handles.size()) {
            throw new StateMigrationException("Cannot restore a mix of full snapshots (canonical savepoints) and"
                    + " other snapshots in one subtask: " + handles);
        }
        return full > 0;
    }

    /**
     * Loads the entries of {@code keyGroups} of {@code handles} into {@code db}.
     *
     * @return the meta data of the states and timer queues restored, one per name
     * @throws StateMigrationException when the key serializer is incompatible with the snapshot's
     */
    static <K> List<StateMetaInfoSnapshot> load(Db db, Collection<KeyedStateHandle> handles, KeyGroupRange keyGroups,
                                                int keyGroupPrefixBytes, StateSerializerProvider<K> keySerializer,
                                                ClassLoader classLoader) throws IOException, StateMigrationException {
        List<KeyedStateHandle> inRange = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            // The job manager cuts handles to the subtask's key groups already; a handle given whole is cut here.
            KeyedStateHandle cut = handle.getIntersection(keyGroups);
            if (cut != null) {
                inRange.add(cut);
            }
        }
        Map<String, StateMetaInfoSnapshot> states = new LinkedHashMap<>();
        Batch batch = new Batch(db);
        FullSnapshotRestoreOperation<K> operation =
                new FullSnapshotRestoreOperation<>(keyGroups, classLoader, inRange, keySerializer);
        try (ThrowingIterator<SavepointRestoreResult> results = operation.restore()) {
            while (results.hasNext()) {
                SavepointRestoreResult result = results.next();
                try (ThrowingIterator<KeyGroup> keyGroupsOfResult = result.getRestoredKeyGroups()) {
                    List<StateMetaInfoSnapshot> metaInfos = result.getStateMetaInfoSnapshots();
                    int[] stateIds = new int[metaInfos.size()];
                    boolean[] queues = new boolean[metaInfos.size()];
                    for (int i = 0; i < metaInfos.size(); i++) {
                        StateMetaInfoSnapshot metaInfo = metaInfos.get(i);
                        stateIds[i] = StateKeys.stateId(metaInfo.getName());
                        queues[i] = metaInfo.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE;
                        states.putIfAbsent(metaInfo.getName(), metaInfo);
                    }
                    load(keyGroupsOfResult, batch, keyGroupPrefixBytes, stateIds, queues);
                }
            }
        } catch (StateMigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not restore the full snapshot (canonical savepoint) " + inRange + ": "
                    + e.getMessage(), e);
        }
        batch.write();
        return new ArrayList<>(states.values());
    }

    private static void load(ThrowingIterator<KeyGroup> keyGroups, Batch batch, int keyGroupPrefixBytes, int[] stateIds,
                             boolean[] queues) throws IOException, StateMigrationException {
        while (keyGroups.hasNext()) {
            try (ThrowingIterator<KeyGroupEntry> entries = keyGroups.next().getKeyGroupEntries()) {
                while (entries.hasNext()) {
                    KeyGroupEntry entry = entries.next();
                    int id = entry.getKvStateId();
                    if (id < 0 || id >= stateIds.length) {
                        throw new StateMigrationException("The full snapshot has an entry of state " + id
                                + " but meta data of " + stateIds.length + " states only.");
                    }
                    // A timer's canonical value is empty; the database keeps its elements with an empty value.
                    batch.put(CanonicalSavepointResources.databaseKey(entry.getKey(), keyGroupPrefixBytes, stateIds[id]),
                            queues[id] ? EMPTY : entry.getValue());
                }
            }
        }
    }

    /** A write batch written whenever it holds {@link #BATCH_BYTES}. */
    private static final class Batch {
        private final Db db;
        private WriteBatch batch = new WriteBatch();
        private long bytes;

        Batch(Db db) {
            this.db = db;
        }

        void put(byte[] key, byte[] value) {
            batch.put(key, value);
            bytes += key.length + value.length;
            if (bytes >= BATCH_BYTES) {
                write();
            }
        }

        void write() {
            if (!batch.isEmpty()) {
                // Durability comes from the checkpoints, as for every other write of the backend.
                db.write(batch, WriteOptions.NO_AWAIT);
                batch = new WriteBatch();
                bytes = 0;
            }
        }
    }
}
