package io.slatedb.flink.state;

import io.slatedb.DbIterator;
import io.slatedb.KeyValue;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.FullSnapshotResources;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyValueStateIterator;
import org.apache.flink.runtime.state.StreamCompressionDecorator;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The states of a database as a canonical savepoint reads them: every entry in key-group order in
 * Flink's portable key/value layout, the database key without its state id
 * ({@code [key group][key][namespace][map user key]}, timers {@code [key group][element]}) and the value
 * as stored (Flink's serialized value, the delimited list, the map's null flag and value, TTL wrappers
 * included). Because the key group leads and the state id follows it in every database key, one scan
 * of the key-group range yields exactly this order: key group by key group, state by state.
 *
 * <p>The scan is opened when these resources are made (on the task thread, at the savepoint barrier),
 * so the savepoint is the database as of that moment, whatever the task writes while it is written.
 */
final class CanonicalSavepointResources<K> implements FullSnapshotResources<K> {

    private final List<StateMetaInfoSnapshot> metaInfos;
    /** The index in {@link #metaInfos} (the savepoint's state id) of each database state id written. */
    private final Map<Integer, Integer> kvStateIds;
    private final DbIterator scan;
    private final KeyGroupRange keyGroupRange;
    private final int keyGroupPrefixBytes;
    private final TypeSerializer<K> keySerializer;
    private final StreamCompressionDecorator compression;
    /** Flink's TTL time: versions the engine expired by then are left out, as its reads leave them out. */
    private final LongSupplier now;

    CanonicalSavepointResources(List<StateMetaInfoSnapshot> metaInfos, Map<Integer, Integer> kvStateIds, DbIterator scan,
                                KeyGroupRange keyGroupRange, int keyGroupPrefixBytes, TypeSerializer<K> keySerializer,
                                StreamCompressionDecorator compression, LongSupplier now) {
        this.metaInfos = metaInfos;
        this.kvStateIds = kvStateIds;
        this.scan = scan;
        this.keyGroupRange = keyGroupRange;
        this.keyGroupPrefixBytes = keyGroupPrefixBytes;
        this.keySerializer = keySerializer;
        this.compression = compression;
        this.now = now;
    }

    @Override
    public List<StateMetaInfoSnapshot> getMetaInfoSnapshots() {
        return metaInfos;
    }

    @Override
    public KeyValueStateIterator createKVStateIterator() {
        return new Entries();
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    @Override
    public TypeSerializer<K> getKeySerializer() {
        return keySerializer;
    }

    @Override
    public StreamCompressionDecorator getStreamCompressionDecorator() {
        return compression;
    }

    @Override
    public void release() {
        scan.close();
    }

    /** The database key of a canonical key of the state with database state id {@code stateId}. */
    static byte[] databaseKey(byte[] canonicalKey, int keyGroupPrefixBytes, int stateId) {
        byte[] key = new byte[canonicalKey.length + StateKeys.STATE_ID_BYTES];
        System.arraycopy(canonicalKey, 0, key, 0, keyGroupPrefixBytes);
        for (int i = 0; i < StateKeys.STATE_ID_BYTES; i++) {
            key[keyGroupPrefixBytes + i] = (byte) (stateId >>> (8 * (StateKeys.STATE_ID_BYTES - 1 - i)));
        }
        System.arraycopy(canonicalKey, keyGroupPrefixBytes, key, keyGroupPrefixBytes + StateKeys.STATE_ID_BYTES,
                canonicalKey.length - keyGroupPrefixBytes);
        return key;
    }

    /** The canonical key of a database key: the state id cut out. */
    static byte[] canonicalKey(byte[] databaseKey, int keyGroupPrefixBytes) {
        byte[] key = new byte[databaseKey.length - StateKeys.STATE_ID_BYTES];
        System.arraycopy(databaseKey, 0, key, 0, keyGroupPrefixBytes);
        System.arraycopy(databaseKey, keyGroupPrefixBytes + StateKeys.STATE_ID_BYTES, key, keyGroupPrefixBytes,
                key.length - keyGroupPrefixBytes);
        return key;
    }

    /** The entries of the states in {@link #kvStateIds}, one ahead of the writer as it expects. */
    private final class Entries implements KeyValueStateIterator {
        private byte[] key;
        private byte[] value;
        private int keyGroup = -1;
        private int kvStateId = -1;
        private boolean newKeyGroup;
        private boolean newState;
        private boolean valid;

        Entries() {
            next();
        }

        @Override
        public void next() {
            valid = false;
            while (scan.hasNext()) {
                KeyValue kv = scan.next();
                if (kv.expireTs().isPresent() && kv.expireTs().getAsLong() <= now.getAsLong()) {
                    continue;
                }
                byte[] dbKey = kv.key();
                if (dbKey.length < keyGroupPrefixBytes + StateKeys.STATE_ID_BYTES) {
                    continue;
                }
                Integer id = kvStateIds.get(stateIdOf(dbKey));
                if (id == null) {
                    // Rows of a state no longer registered, or not part of savepoints (heap timers'
                    // elements travel in the operator's raw keyed state).
                    continue;
                }
                int group = CompositeKeySerializationUtils.extractKeyGroup(keyGroupPrefixBytes, dbKey);
                newKeyGroup = group != keyGroup;
                newState = newKeyGroup || id != kvStateId;
                keyGroup = group;
                kvStateId = id;
                key = canonicalKey(dbKey, keyGroupPrefixBytes);
                value = kv.value();
                valid = true;
                return;
            }
        }

        private int stateIdOf(byte[] dbKey) {
            int id = 0;
            for (int i = 0; i < StateKeys.STATE_ID_BYTES; i++) {
                id = (id << 8) | (dbKey[keyGroupPrefixBytes + i] & 0xFF);
            }
            return id;
        }

        @Override
        public int keyGroup() {
            return keyGroup;
        }

        @Override
        public byte[] key() {
            return key;
        }

        @Override
        public byte[] value() {
            return value;
        }

        @Override
        public int kvStateId() {
            return kvStateId;
        }

        @Override
        public boolean isNewKeyValueState() {
            return newState;
        }

        @Override
        public boolean isNewKeyGroup() {
            return newKeyGroup;
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public void close() {
            // The scan belongs to the resources, released after the savepoint is written.
        }
    }
}
