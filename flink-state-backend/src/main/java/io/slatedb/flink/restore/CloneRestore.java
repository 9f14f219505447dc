package io.slatedb.flink.restore;

import io.slatedb.Admin;
import io.slatedb.CloneOptions;
import io.slatedb.CloneSource;
import io.slatedb.flink.snapshot.CheckpointDescriptors;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.util.StateMigrationException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Restores a subtask's database as a clone of checkpointed databases: metadata only, no SST copied.
 * Because the key group leads every key, the subtask's key groups are one key range of each source:
 * with the same key groups as the single source it is a plain clone; otherwise (rescaling) it is the
 * union of each source's projection onto the key groups the subtask and that source share.
 */
@Internal
public final class CloneRestore {

    private CloneRestore() {
    }

    /**
     * Makes the (not yet existing) database of {@code target} a clone of {@code sources} restricted to
     * {@code keyGroups}.
     *
     * @throws StateMigrationException when a source lives in another store, or none of them shares a
     *                                 key group with {@code keyGroups}
     */
    public static void cloneInto(Admin target, String store, List<CheckpointDescriptor> sources, KeyGroupRange keyGroups,
                                 int keyGroupPrefixBytes) throws StateMigrationException {
        List<CloneSource> clones = new ArrayList<>();
        List<CheckpointDescriptor> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparingInt(CheckpointDescriptor::getStartKeyGroup));
        for (CheckpointDescriptor source : ordered) {
            if (!source.getStore().equals(store)) {
                throw new StateMigrationException("The snapshot's database " + source.getPath() + " is in store "
                        + source.getStore() + ", not in the configured store " + store
                        + ": a restore clones databases within one store.");
            }
            KeyGroupRange shared = CheckpointDescriptors.keyGroups(source).getIntersection(keyGroups);
            if (shared.getNumberOfKeyGroups() == 0) {
                continue;
            }
            CloneSource clone = CloneSource.of(source.getPath(), UUID.fromString(source.getCheckpointId()));
            if (ordered.size() > 1 || !CheckpointDescriptors.keyGroups(source).equals(keyGroups)) {
                clone = clone.withProjection(prefix(shared.getStartKeyGroup(), keyGroupPrefixBytes),
                        prefix(shared.getEndKeyGroup() + 1, keyGroupPrefixBytes));
            }
            clones.add(clone);
        }
        if (clones.isEmpty()) {
            throw new StateMigrationException("None of the snapshots to restore holds a key group of " + keyGroups);
        }
        target.createClone(clones.size() == 1 ? CloneOptions.of(clones.get(0)) : CloneOptions.union(clones));
    }

    private static byte[] prefix(int keyGroup, int keyGroupPrefixBytes) {
        byte[] prefix = new byte[keyGroupPrefixBytes];
        CompositeKeySerializationUtils.serializeKeyGroup(keyGroup, prefix);
        return prefix;
    }
}
