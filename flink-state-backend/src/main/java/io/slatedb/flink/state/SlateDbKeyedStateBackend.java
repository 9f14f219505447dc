package io.slatedb.flink.state;

import io.slatedb.Admin;
import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.MergeOptions;
import io.slatedb.PutOptions;
import io.slatedb.Ttl;
import io.slatedb.WriteOptions;
import io.slatedb.flink.snapshot.SavepointTarget;
import io.slatedb.flink.snapshot.SlateDbSnapshotStrategy;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializerSnapshot;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SnapshotType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.DoneFuture;
import org.apache.flink.runtime.state.HeapPriorityQueuesManager;
import org.apache.flink.runtime.state.InternalKeyContextImpl;
import org.apache.flink.runtime.state.KeyExtractorFunction;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.Keyed;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.PriorityComparable;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.RegisteredPriorityQueueStateBackendMetaInfo;
import org.apache.flink.runtime.state.SavepointResources;
import org.apache.flink.runtime.state.SnapshotExecutionType;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategyRunner;
import org.apache.flink.runtime.state.StateBackend.KeyedStateBackendParameters;
import org.apache.flink.runtime.state.StateSnapshotTransformer.StateSnapshotTransformFactory;
import org.apache.flink.runtime.state.StreamCompressionDecorator;
import org.apache.flink.runtime.state.UncompressedStreamCompressionDecorator;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueElement;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSet;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSnapshotRestoreWrapper;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlAwareSerializer;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.StateMigrationException;

import javax.annotation.Nonnull;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The keyed state backend of one operator subtask attempt, on its own SlateDB database. Keys are laid
 * out as {@link StateKeys} says (key group first). Snapshots are SlateDB checkpoints
 * ({@link SlateDbSnapshotStrategy}); canonical savepoints are Flink's portable format, written from a scan
 * of the database ({@link CanonicalSavepointResources}). Timers live in the database ({@link SlateDbPriorityQueueSetFactory}),
 * or, as configured, in Flink's heap priority queues, which the operator writes into its raw keyed state
 * at every snapshot.
 */
@Internal
public final class SlateDbKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {

    /** What {@link org.apache.flink.api.common.state.KeyedStateStore#getBackendTypeIdentifier()} reports. */
    public static final String IDENTIFIER = "slatedb";

    private final int keyGroupPrefixBytes;
    /** The store and threads the database runs on, released on dispose. */
    private final AutoCloseable resources;
    private final String dbPath;
    private final Admin admin;
    private final Db db;
    private final UUID backendIdentifier = UUID.randomUUID();
    /** Every state of the database, registered or restored, by name, in registration order. */
    private final Map<String, RegisteredKeyValueStateBackendMetaInfo<?, ?>> stateInfos = new LinkedHashMap<>();
    /** The state names by state id, to refuse two names with one id. */
    private final Map<Integer, String> stateNames = new HashMap<>();
    private final Map<String, AbstractSlateDbState<K, ?, ?>> createdStates = new HashMap<>();
    /** The TTLs the engine enforces, by state name ({@link #engineTtlMillis}). */
    private final Map<String, Long> engineTtls = new HashMap<>();
    /** The snapshot transformers (TTL cleanup in full snapshots) of the states that have one, by name. */
    private final Map<String, StateSnapshotTransformFactory<?>> snapshotTransforms = new HashMap<>();
    /** The timer queues when they live on the heap, else null. */
    private final HeapPriorityQueuesManager heapQueues;
    /** The timer queues when they live in the database, else null. */
    private final SlateDbPriorityQueueSetFactory dbQueues;
    private final SlateDbSnapshotStrategy snapshotStrategy;
    private boolean disposed;

    SlateDbKeyedStateBackend(KeyedStateBackendParameters<K> parameters, TypeSerializer<K> keySerializer,
                             ClassLoader classLoader, LatencyTrackingStateConfig latencyTrackingConfig,
                             SizeTrackingStateConfig sizeTrackingConfig, StreamCompressionDecorator compressionDecorator,
                             int keyGroupPrefixBytes, AutoCloseable resources, String storeUrl, String dbPath, Admin admin, Db db,
                             List<StateMetaInfoSnapshot> restoredStates, boolean timersInDatabase,
                             SavepointTarget savepointTarget) {
        super(parameters.getKvStateRegistry(), keySerializer, classLoader, parameters.getEnv().getExecutionConfig(),
                parameters.getTtlTimeProvider(), latencyTrackingConfig, sizeTrackingConfig,
                // The parameters' registry serves the restore only (Flink closes it afterwards); snapshots
                // register with the backend's own, as Flink's backends do.
                new CloseableRegistry(), compressionDecorator,
                new InternalKeyContextImpl<>(parameters.getKeyGroupRange(), parameters.getNumberOfKeyGroups()));
        this.keyGroupPrefixBytes = keyGroupPrefixBytes;
        this.resources = resources;
        this.dbPath = dbPath;
        this.admin = admin;
        this.db = db;
        HeapPriorityQueueSetFactory heapFactory = timersInDatabase ? null
                : new HeapPriorityQueueSetFactory(keyGroupRange, numberOfKeyGroups, 128);
        this.dbQueues = timersInDatabase ? new SlateDbPriorityQueueSetFactory(new DatabaseQueueStore(), keyGroupRange,
                numberOfKeyGroups, keyGroupPrefixBytes, this::reserveStateId) : null;
        Map<String, HeapPriorityQueueSnapshotRestoreWrapper<?>> queues = new HashMap<>();
        for (StateMetaInfoSnapshot restored : restoredStates) {
            if (restored.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) {
                registerStateInfo(new RegisteredKeyValueStateBackendMetaInfo<>(restored));
            } else if (restored.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE) {
                if (timersInDatabase) {
                    // Timers of a database snapshot are in the clone already; those of a heap snapshot
                    // come back through the operator's raw keyed state.
                    dbQueues.restore(restored);
                } else {
                    queues.put(restored.getName(), restoredQueue(heapFactory, restored));
                }
            }
        }
        this.heapQueues = timersInDatabase ? null
                : new HeapPriorityQueuesManager(queues, heapFactory, keyGroupRange, numberOfKeyGroups);
        this.snapshotStrategy = new SlateDbSnapshotStrategy(db, admin, storeUrl, dbPath, keyGroupRange,
                backendIdentifier, this::cleanUpBeforeCheckpoint, this::writeStateMeta, savepointTarget);
    }

    /**
     * A restored heap timer queue; its meta data lets a registration with an incompatible serializer
     * fail. The elements of a heap snapshot come back through the operator's raw keyed state; those of
     * a snapshot with timers in the database are moved from the (cloned) database onto the heap here.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private HeapPriorityQueueSnapshotRestoreWrapper<?> restoredQueue(HeapPriorityQueueSetFactory factory,
                                                                     StateMetaInfoSnapshot restored) {
        RegisteredPriorityQueueStateBackendMetaInfo metaInfo = new RegisteredPriorityQueueStateBackendMetaInfo<>(restored);
        TypeSerializer elementSerializer = metaInfo.getElementSerializer();
        HeapPriorityQueueSet queue = factory.create(metaInfo.getName(), elementSerializer);
        int queueId = reserveStateId(metaInfo.getName());
        DataInputDeserializer in = new DataInputDeserializer();
        for (int keyGroup = keyGroupRange.getStartKeyGroup(); keyGroup <= keyGroupRange.getEndKeyGroup(); keyGroup++) {
            byte[] prefix = StateKeys.queuePrefix(keyGroupPrefixBytes, keyGroup, queueId);
            try (DbIterator it = db.scanPrefix(prefix)) {
                while (it.hasNext()) {
                    byte[] key = it.next().key();
                    in.setBuffer(key, prefix.length, key.length - prefix.length);
                    try {
                        queue.add((HeapPriorityQueueElement) elementSerializer.deserialize(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException("Could not read a timer of " + metaInfo.getName(), e);
                    }
                    delete(key);
                }
            }
        }
        return new HeapPriorityQueueSnapshotRestoreWrapper<>(queue, metaInfo,
                KeyExtractorFunction.forKeyedObjects(), keyGroupRange, numberOfKeyGroups);
    }

    /** The database as the timer queues use it. */
    private final class DatabaseQueueStore implements QueueStore {
        @Override
        public void put(byte[] key, byte[] value) {
            SlateDbKeyedStateBackend.this.put(key, value);
        }

        @Override
        public void delete(byte[] key) {
            SlateDbKeyedStateBackend.this.delete(key);
        }

        @Override
        public DbIterator scan(byte[] start, byte[] end) {
            return db.scan(start, end);
        }
    }

    // ---------------------------------------------------------------- database access for the states

    int keyGroupPrefixBytes() {
        return keyGroupPrefixBytes;
    }

    byte[] get(byte[] key) {
        return db.get(key);
    }

    void put(byte[] key, byte[] value) {
        // Durability comes from checkpoints (CheckpointScope.ALL), not from waiting on every write.
        db.put(key, value, PutOptions.NO_EXPIRY, WriteOptions.NO_AWAIT);
    }

    void put(byte[] key, byte[] value, long expireAtMillis) {
        db.put(key, value, PutOptions.builder().ttl(Ttl.expireAt(Instant.ofEpochMilli(expireAtMillis))).build(),
                WriteOptions.NO_AWAIT);
    }

    void merge(byte[] key, byte[] operand) {
        db.merge(key, operand, MergeOptions.NO_EXPIRY, WriteOptions.NO_AWAIT);
    }

    void delete(byte[] key) {
        db.delete(key, WriteOptions.NO_AWAIT);
    }

    DbIterator scanPrefix(byte[] prefix) {
        return db.scanPrefix(prefix);
    }

    /**
     * The TTL after which the engine expires the values of {@code stateName}, or -1: states whose TTL
     * never returns expired values; with {@code ReturnExpiredIfNotCleanedUp} Flink's decorator alone decides.
     */
    long engineTtlMillis(String stateName) {
        return engineTtls.getOrDefault(stateName, -1L);
    }

    @Override
    public <N, S extends State, V> S getOrCreateKeyedState(TypeSerializer<N> namespaceSerializer,
                                                           StateDescriptor<S, V> stateDescriptor) throws Exception {
        // The TTL wrapper hands createOrUpdateInternalState a descriptor without the TTL settings: note them here.
        StateTtlConfig ttl = stateDescriptor.getTtlConfig();
        if (ttl.isEnabled() && ttl.getStateVisibility() == StateTtlConfig.StateVisibility.NeverReturnExpired) {
            engineTtls.put(stateDescriptor.getName(), ttl.getTimeToLive().toMillis());
        }
        return super.getOrCreateKeyedState(namespaceSerializer, stateDescriptor);
    }

    int stateIdOf(String stateName) {
        return StateKeys.stateId(stateName);
    }

    /** The database path of this attempt. */
    public String databasePath() {
        return dbPath;
    }

    // ---------------------------------------------------------------- states

    private void registerStateInfo(RegisteredKeyValueStateBackendMetaInfo<?, ?> info) {
        reserveStateId(info.getName());
        stateInfos.put(info.getName(), info);
    }

    /** The id of a state or timer queue name, refusing a name whose id another name has. */
    private int reserveStateId(String name) {
        int id = StateKeys.stateId(name);
        String other = stateNames.putIfAbsent(id, name);
        if (other != null && !other.equals(name)) {
            throw new FlinkRuntimeException("The state names \"" + other + "\" and \"" + name
                    + "\" have the same SlateDB state id; rename one of them.");
        }
        return id;
    }

    @Nonnull
    @Override
    public <N, SV, SEV, S extends State, IS extends S> IS createOrUpdateInternalState(
            @Nonnull TypeSerializer<N> namespaceSerializer, @Nonnull StateDescriptor<S, SV> stateDesc,
            @Nonnull StateSnapshotTransformFactory<SEV> snapshotTransformFactory) throws Exception {
        return createOrUpdateInternalState(namespaceSerializer, stateDesc, snapshotTransformFactory, false);
    }

    @Nonnull
    @Override
    @SuppressWarnings("unchecked")
    public <N, SV, SEV, S extends State, IS extends S> IS createOrUpdateInternalState(
            @Nonnull TypeSerializer<N> namespaceSerializer, @Nonnull StateDescriptor<S, SV> stateDesc,
            @Nonnull StateSnapshotTransformFactory<SEV> snapshotTransformFactory, boolean allowFutureMetadataUpdates)
            throws Exception {
        RegisteredKeyValueStateBackendMetaInfo<N, SV> metaInfo =
                (RegisteredKeyValueStateBackendMetaInfo<N, SV>) stateInfos.get(stateDesc.getName());
        boolean migrate = false;
        if (metaInfo != null) {
            migrate = updateSerializers(metaInfo, stateDesc, namespaceSerializer);
        } else {
            metaInfo = new RegisteredKeyValueStateBackendMetaInfo<>(stateDesc.getType(), stateDesc.getName(),
                    namespaceSerializer, stateDesc.getSerializer(), StateSnapshotTransformFactory.noTransform());
        }
        if (allowFutureMetadataUpdates) {
            metaInfo = metaInfo.withSerializerUpgradesAllowed();
        }
        registerStateInfo(metaInfo);
        if (snapshotTransformFactory.createForSerializedState().isPresent()
                || snapshotTransformFactory.createForDeserializedState().isPresent()) {
            snapshotTransforms.put(stateDesc.getName(), snapshotTransformFactory);
        } else {
            snapshotTransforms.remove(stateDesc.getName());
        }
        AbstractSlateDbState<K, N, SV> state = createState(stateDesc, metaInfo);
        if (migrate) {
            migrate(stateDesc, metaInfo, state);
        }
        createdStates.put(stateDesc.getName(), state);
        return (IS) state;
    }

    /**
     * Checks a state registered again (after a restore) against its earlier serializers.
     *
     * @return whether its values must be migrated to the new serializer's format
     */
    private <N, SV> boolean updateSerializers(RegisteredKeyValueStateBackendMetaInfo<N, SV> metaInfo,
                                              StateDescriptor<?, SV> stateDesc, TypeSerializer<N> namespaceSerializer)
            throws StateMigrationException {
        TypeSerializer<N> previousNamespaceSerializer = metaInfo.getNamespaceSerializer();
        TypeSerializerSchemaCompatibility<N> namespaceCompatibility =
                metaInfo.updateNamespaceSerializer(namespaceSerializer);
        if (namespaceCompatibility.isCompatibleAfterMigration() || namespaceCompatibility.isIncompatible()) {
            throw new StateMigrationException("The new namespace serializer (" + namespaceSerializer
                    + ") must be compatible with the old namespace serializer (" + previousNamespaceSerializer + ").");
        }
        metaInfo.checkStateMetaInfo(stateDesc);
        TypeSerializer<SV> previousStateSerializer = metaInfo.getStateSerializer();
        TypeSerializerSchemaCompatibility<SV> compatibility = metaInfo.updateStateSerializer(stateDesc.getSerializer());
        if (compatibility.isIncompatible()) {
            throw new StateMigrationException("The new state serializer (" + stateDesc.getSerializer()
                    + ") must not be incompatible with the old state serializer (" + previousStateSerializer + ").");
        }
        return compatibility.isCompatibleAfterMigration();
    }

    @SuppressWarnings("unchecked")
    private <N, SV> void migrate(StateDescriptor<?, SV> stateDesc, RegisteredKeyValueStateBackendMetaInfo<N, SV> metaInfo,
                                 AbstractSlateDbState<K, N, SV> state) throws StateMigrationException {
        if (stateDesc.getType() == StateDescriptor.Type.MAP) {
            TypeSerializerSnapshot<SV> previous = metaInfo.getPreviousStateSerializerSnapshot();
            MapSerializer<?, ?> current = (MapSerializer<?, ?>) metaInfo.getStateSerializer();
            if (!(previous instanceof MapSerializerSnapshot<?, ?> previousMap) || !userKeysCompatible(previousMap, current)) {
                throw new StateMigrationException("The new serializer for a MapState requires state migration in order"
                        + " for the job to proceed, since the key schema has changed. However, migration for MapState"
                        + " currently only allows value schema evolutions.");
            }
        }
        state.migrateValues(
                (TtlAwareSerializer<SV, ?>) TtlAwareSerializer.wrapTtlAwareSerializer(metaInfo.getPreviousStateSerializer()),
                (TtlAwareSerializer<SV, ?>) TtlAwareSerializer.wrapTtlAwareSerializer(metaInfo.getStateSerializer()),
                ttlTimeProvider);
    }

    @SuppressWarnings("unchecked")
    private static <UK> boolean userKeysCompatible(MapSerializerSnapshot<?, ?> previous, MapSerializer<?, ?> current) {
        TypeSerializerSnapshot<UK> previousKeys = (TypeSerializerSnapshot<UK>) previous.getKeySerializerSnapshot();
        TypeSerializer<UK> currentKeys = (TypeSerializer<UK>) current.getKeySerializer();
        return currentKeys.snapshotConfiguration().resolveSchemaCompatibility(previousKeys).isCompatibleAsIs();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <N, SV> AbstractSlateDbState<K, N, SV> createState(StateDescriptor<?, SV> stateDesc,
                                                               RegisteredKeyValueStateBackendMetaInfo<N, SV> metaInfo) {
        int id = StateKeys.stateId(stateDesc.getName());
        switch (stateDesc.getType()) {
            case VALUE:
                return new SlateDbValueState<>(this, metaInfo, id, stateDesc.getDefaultValue());
            case LIST:
                return (AbstractSlateDbState<K, N, SV>) new SlateDbListState(this, metaInfo, id);
            case MAP:
                return (AbstractSlateDbState<K, N, SV>) new SlateDbMapState(this, metaInfo, id);
            case REDUCING:
                return new SlateDbReducingState<>(this, metaInfo, id,
                        ((ReducingStateDescriptor<SV>) stateDesc).getReduceFunction());
            case AGGREGATING:
                return new SlateDbAggregatingState<>(this, metaInfo, id,
                        ((AggregatingStateDescriptor<?, SV, ?>) stateDesc).getAggregateFunction());
            default:
                throw new FlinkRuntimeException("State " + stateDesc.getClass() + " of type " + stateDesc.getType()
                        + " is not supported by the SlateDB state backend");
        }
    }

    // ---------------------------------------------------------------- keys

    /** One entry of a state, decoded. */
    private record StateEntry<K, N>(K key, N namespace, byte[] keyAndNamespace) {
    }

    /**
     * The entries of a state over this backend's key groups, one key group at a time, each key and
     * namespace once (a map state has an entry per user key).
     */
    private <N> Stream<StateEntry<K, N>> entries(String stateName) {
        RegisteredKeyValueStateBackendMetaInfo<?, ?> info = stateInfos.get(stateName);
        if (info == null) {
            return Stream.empty();
        }
        @SuppressWarnings("unchecked")
        TypeSerializer<N> namespaceSerializer = (TypeSerializer<N>) info.getNamespaceSerializer();
        StateKeys<K, N> keys = new StateKeys<>(keyGroupPrefixBytes, StateKeys.stateId(stateName), getKeySerializer(),
                namespaceSerializer);
        EntryIterator<N> iterator = new EntryIterator<>(keys);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
                .onClose(iterator::close);
    }

    private final class EntryIterator<N> implements Iterator<StateEntry<K, N>> {
        private final StateKeys<K, N> keys;
        private int nextKeyGroup = keyGroupRange.getStartKeyGroup();
        private DbIterator current;
        private StateEntry<K, N> next;
        private byte[] previous;

        EntryIterator(StateKeys<K, N> keys) {
            this.keys = keys;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (current != null && current.hasNext()) {
                    byte[] dbKey = current.next().key();
                    StateKeys.Decoded<K, N> decoded = keys.decode(dbKey);
                    byte[] keyAndNamespace = Arrays.copyOf(dbKey, decoded.userKeyOffset());
                    if (!Arrays.equals(keyAndNamespace, previous)) {
                        previous = keyAndNamespace;
                        next = new StateEntry<>(decoded.key(), decoded.namespace(), keyAndNamespace);
                    }
                } else if (nextKeyGroup <= keyGroupRange.getEndKeyGroup()) {
                    close();
                    current = db.scanPrefix(keys.statePrefix(nextKeyGroup++));
                } else {
                    close();
                    return false;
                }
            }
            return true;
        }

        @Override
        public StateEntry<K, N> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StateEntry<K, N> entry = next;
            next = null;
            return entry;
        }

        void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    @Override
    public <N> Stream<K> getKeys(String state, N namespace) {
        return this.<N>entries(state).filter(e -> Objects.equals(e.namespace(), namespace)).map(StateEntry::key);
    }

    @Override
    public <N> Stream<K> getKeys(List<String> states, N namespace) {
        Stream<K> keys = Stream.empty();
        for (String state : states) {
            keys = Stream.concat(keys, getKeys(state, namespace));
        }
        return keys.distinct();
    }

    @Override
    public <N> Stream<Tuple2<K, N>> getKeysAndNamespaces(String state) {
        return this.<N>entries(state).map(e -> Tuple2.of(e.key(), e.namespace()));
    }

    @Override
    public int numKeyValueStateEntries() {
        int count = 0;
        for (RegisteredKeyValueStateBackendMetaInfo<?, ?> info : stateInfos.values()) {
            StateKeys<K, ?> keys = new StateKeys<>(keyGroupPrefixBytes, StateKeys.stateId(info.getName()),
                    getKeySerializer(), info.getNamespaceSerializer());
            for (int keyGroup = keyGroupRange.getStartKeyGroup(); keyGroup <= keyGroupRange.getEndKeyGroup(); keyGroup++) {
                try (DbIterator it = db.scanPrefix(keys.statePrefix(keyGroup))) {
                    while (it.hasNext()) {
                        it.next();
                        count++;
                    }
                }
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- timers

    @Nonnull
    @Override
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
    KeyGroupedInternalPriorityQueue<T> create(@Nonnull String stateName, @Nonnull TypeSerializer<T> byteOrderedElementSerializer) {
        return create(stateName, byteOrderedElementSerializer, false);
    }

    @Override
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
    KeyGroupedInternalPriorityQueue<T> create(@Nonnull String stateName, @Nonnull TypeSerializer<T> byteOrderedElementSerializer,
                                              boolean allowFutureMetadataUpdates) {
        return heapQueues != null
                ? heapQueues.createOrUpdate(stateName, byteOrderedElementSerializer, allowFutureMetadataUpdates)
                : dbQueues.create(stateName, byteOrderedElementSerializer, allowFutureMetadataUpdates);
    }

    @Override
    public boolean requiresLegacySynchronousTimerSnapshots(SnapshotType checkpointType) {
        // Heap timers are written by the operator into its raw keyed state; database timers are in the checkpoint.
        return heapQueues != null;
    }

    @Override
    public boolean isSafeToReuseKVState() {
        return false;
    }

    // ---------------------------------------------------------------- snapshots

    @Nonnull
    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(long checkpointId, long timestamp,
                                                                     @Nonnull CheckpointStreamFactory streamFactory,
                                                                     @Nonnull CheckpointOptions checkpointOptions)
            throws Exception {
        if (stateInfos.isEmpty() && (heapQueues != null ? heapQueues.getRegisteredPQStates().isEmpty()
                : dbQueues.metaInfos().isEmpty())) {
            return DoneFuture.of(SnapshotResult.empty());
        }
        return new SnapshotStrategyRunner<>("SlateDB checkpoint", snapshotStrategy, cancelStreamRegistry,
                SnapshotExecutionType.ASYNCHRONOUS).snapshot(checkpointId, timestamp, streamFactory, checkpointOptions);
    }

    /** Runs the states' snapshot transformers (TTL cleanup in full snapshots) on the database. */
    private void cleanUpBeforeCheckpoint() {
        for (Map.Entry<String, StateSnapshotTransformFactory<?>> transform : snapshotTransforms.entrySet()) {
            AbstractSlateDbState<K, ?, ?> state = createdStates.get(transform.getKey());
            if (state != null) {
                state.cleanUp(transform.getValue());
            }
        }
    }

    /** The states' meta data (serializers), timer queues included, as Flink's keyed backends write it. */
    private byte[] writeStateMeta() {
        List<StateMetaInfoSnapshot> snapshots = new ArrayList<>(stateInfos.size());
        for (RegisteredKeyValueStateBackendMetaInfo<?, ?> info : stateInfos.values()) {
            snapshots.add(info.snapshot());
        }
        if (heapQueues != null) {
            for (HeapPriorityQueueSnapshotRestoreWrapper<?> queue : heapQueues.getRegisteredPQStates().values()) {
                snapshots.add(queue.getMetaInfo().snapshot());
            }
        } else {
            for (RegisteredPriorityQueueStateBackendMetaInfo<?> queue : dbQueues.metaInfos()) {
                snapshots.add(queue.snapshot());
            }
        }
        KeyedBackendSerializationProxy<K> proxy = new KeyedBackendSerializationProxy<>(getKeySerializer(), snapshots,
                !Objects.equals(UncompressedStreamCompressionDecorator.INSTANCE, keyGroupCompressionDecorator));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            proxy.write(new DataOutputViewStreamWrapper(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A canonical savepoint: every state's entries, and the timers kept in the database, in Flink's
     * portable format ({@link CanonicalSavepointResources}), from a scan opened here at the barrier and
     * read while Flink writes the savepoint asynchronously. Heap timers go into the operator's raw keyed
     * state, as at every snapshot.
     */
    @Nonnull
    @Override
    public SavepointResources<K> savepoint() {
        cleanUpBeforeCheckpoint();
        List<StateMetaInfoSnapshot> metaInfos = new ArrayList<>();
        Map<Integer, Integer> kvStateIds = new HashMap<>();
        for (RegisteredKeyValueStateBackendMetaInfo<?, ?> info : stateInfos.values()) {
            kvStateIds.put(StateKeys.stateId(info.getName()), metaInfos.size());
            metaInfos.add(info.snapshot());
        }
        if (dbQueues != null) {
            for (RegisteredPriorityQueueStateBackendMetaInfo<?> queue : dbQueues.metaInfos()) {
                kvStateIds.put(StateKeys.stateId(queue.getName()), metaInfos.size());
                metaInfos.add(queue.snapshot());
            }
        }
        byte[] start = new byte[keyGroupPrefixBytes];
        byte[] end = new byte[keyGroupPrefixBytes];
        CompositeKeySerializationUtils.serializeKeyGroup(keyGroupRange.getStartKeyGroup(), start);
        CompositeKeySerializationUtils.serializeKeyGroup(keyGroupRange.getEndKeyGroup() + 1, end);
        DbIterator scan = db.scan(start, end);
        return new SavepointResources<>(new CanonicalSavepointResources<>(metaInfos, kvStateIds, scan, keyGroupRange,
                keyGroupPrefixBytes, getKeySerializer(), keyGroupCompressionDecorator,
                ttlTimeProvider::currentTimestamp), SnapshotExecutionType.ASYNCHRONOUS);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        snapshotStrategy.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointSubsumed(long checkpointId) {
        snapshotStrategy.notifyCheckpointSubsumed(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        snapshotStrategy.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public String getBackendTypeIdentifier() {
        return IDENTIFIER;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        super.dispose();
        try {
            db.close();
        } finally {
            try {
                admin.close();
            } finally {
                try {
                    resources.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Could not release the backend's resources", e);
                }
            }
        }
    }
}
