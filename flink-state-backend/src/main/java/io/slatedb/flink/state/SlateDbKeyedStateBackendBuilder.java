package io.slatedb.flink.state;

import io.slatedb.Admin;
import io.slatedb.Db;
import io.slatedb.Settings;
import io.slatedb.flink.metrics.FlinkMetricRegistry;
import io.slatedb.flink.restore.CloneRestore;
import io.slatedb.flink.restore.EarlierAttempts;
import io.slatedb.flink.snapshot.CheckpointDescriptors;
import io.slatedb.flink.snapshot.SavepointTarget;
import io.slatedb.flink.snapshot.proto.CheckpointDescriptor;
import io.slatedb.metrics.MetricRegistry;
import io.slatedb.store.ObjectStore;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StateBackend.KeyedStateBackendParameters;
import org.apache.flink.runtime.state.StateSerializerProvider;
import org.apache.flink.runtime.state.StreamCompressionDecorator;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.util.StateMigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Opens the database of one operator subtask attempt and builds its keyed state backend. Every attempt
 * gets a new database, {@code <path>/<job id>/<operator>/kg-<first>-<last>-attempt-<n>-<uuid>}, so no two
 * attempts or jobs ever write one database. A restore of this backend's snapshots makes it a clone of
 * their databases ({@link CloneRestore}) before it is opened; a restore of a full snapshot in Flink's
 * portable format (a canonical savepoint) loads its entries into it once it is open ({@link FullLoadRestore}).
 */
@Internal
public final class SlateDbKeyedStateBackendBuilder<K> {

    private static final Logger LOG = LoggerFactory.getLogger(SlateDbKeyedStateBackendBuilder.class);

    private final KeyedStateBackendParameters<K> parameters;
    private final String storeUrl;
    private final String rootPath;
    private final Settings settings;
    private final Map<String, String> explicitSettings;
    private final boolean useManagedMemory;
    private final boolean timersInDatabase;
    private final boolean copySavepoints;
    private final LatencyTrackingStateConfig latencyTrackingConfig;
    private final SizeTrackingStateConfig sizeTrackingConfig;
    private final StreamCompressionDecorator compressionDecorator;

    public SlateDbKeyedStateBackendBuilder(KeyedStateBackendParameters<K> parameters, String storeUrl, String rootPath,
                                           Settings settings, Map<String, String> explicitSettings,
                                           boolean useManagedMemory, boolean timersInDatabase, boolean copySavepoints,
                                           LatencyTrackingStateConfig latencyTrackingConfig,
                                           SizeTrackingStateConfig sizeTrackingConfig,
                                           StreamCompressionDecorator compressionDecorator) {
        this.parameters = parameters;
        this.storeUrl = storeUrl;
        this.rootPath = rootPath;
        this.settings = settings;
        this.explicitSettings = explicitSettings;
        this.useManagedMemory = useManagedMemory;
        this.timersInDatabase = timersInDatabase;
        this.copySavepoints = copySavepoints;
        this.latencyTrackingConfig = latencyTrackingConfig;
        this.sizeTrackingConfig = sizeTrackingConfig;
        this.compressionDecorator = compressionDecorator;
    }

    /** Opens (restoring first when there are state handles) the database and the backend on it. */
    public SlateDbKeyedStateBackend<K> build() throws IOException {
        Environment env = parameters.getEnv();
        KeyGroupRange keyGroups = parameters.getKeyGroupRange();
        int keyGroupPrefixBytes = CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix(
                parameters.getNumberOfKeyGroups());
        String dbPath = databasePath(env.getTaskInfo().getAttemptNumber());
        ClassLoader classLoader = env.getUserCodeClassLoader().asClassLoader();

        BackendResources resources = resources(env);
        ObjectStore store = resources.store();
        Admin admin = null;
        Db db = null;
        try {
            admin = Admin.builder(dbPath, store).build();
            StateSerializerProvider<K> keySerializer = StateSerializerProvider.fromNewRegisteredSerializer(
                    parameters.getKeySerializer());
            List<KeyedStateHandle> handles = stateHandles();
            boolean fullLoad = FullLoadRestore.appliesTo(handles);
            List<StateMetaInfoSnapshot> restoredStates = fullLoad ? List.of()
                    : restore(admin, handles, keyGroups, keyGroupPrefixBytes, keySerializer, classLoader);
            db = resources.applyTo(Db.builder(dbPath, store))
                    .withSettings(MemorySizing.apply(settings, explicitSettings, useManagedMemory, env,
                            parameters.getManagedMemoryFraction()))
                    .withMergeOperator(new ListMergeOperator())
                    .withMetrics(parameters.getMetricGroup() == null ? MetricRegistry.NOOP
                            : new FlinkMetricRegistry(parameters.getMetricGroup()))
                    // Values expire by Flink's TTL clock: the engine stamps and expires rows by this one.
                    .withClock(new TtlClock(parameters.getTtlTimeProvider()))
                    .build();
            if (fullLoad) {
                restoredStates = FullLoadRestore.load(db, handles, keyGroups, keyGroupPrefixBytes, keySerializer,
                        classLoader);
            }
            if (env.getTaskInfo().getAttemptNumber() > 0 || !restoredStates.isEmpty()) {
                sweepEarlierAttempts(store, dbPath);
            }
            return new SlateDbKeyedStateBackend<>(parameters, keySerializer.currentSchemaSerializer(), classLoader,
                    latencyTrackingConfig, sizeTrackingConfig, compressionDecorator, keyGroupPrefixBytes,
                    resources, storeUrl, dbPath, admin, db, restoredStates, timersInDatabase,
                    new SavepointTarget(this::savepointPath, copySavepoints, new ListMergeOperator()));
        } catch (RuntimeException | IOException e) {
            closeQuietly(db);
            closeQuietly(admin);
            closeQuietly(resources);
            throw e;
        } catch (StateMigrationException e) {
            closeQuietly(db);
            closeQuietly(admin);
            closeQuietly(resources);
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The slot's shared threads, caches and store when managed memory sizes the backend (so a slot's
     * budget holds however many keyed operators it runs), else a store of the backend's own.
     */
    private BackendResources resources(Environment env) throws IOException {
        double fraction = parameters.getManagedMemoryFraction();
        if (!useManagedMemory || fraction <= 0 || env.getMemoryManager() == null
                || env.getMemoryManager().computeMemorySize(fraction) <= 0) {
            return BackendResources.own(storeUrl);
        }
        try {
            return BackendResources.ofSlot(env.getMemoryManager(), fraction, storeUrl);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not lease the slot's shared SlateDB resources: " + e.getMessage(), e);
        }
    }

    private String databasePath(int attempt) {
        return attemptPrefix() + attempt + "-" + UUID.randomUUID();
    }

    /**
     * Where this subtask's part of a native savepoint taken at Flink checkpoint {@code checkpointId} goes:
     * {@code <path>/savepoints/<job id>/<operator>/kg-<first>-<last>-sp-<checkpoint id>-<uuid>}, apart from
     * the job's own databases, so nothing that cleans those up ever touches it.
     */
    private String savepointPath(long checkpointId) {
        KeyGroupRange keyGroups = parameters.getKeyGroupRange();
        return rootPath + "/savepoints/" + parameters.getJobID() + "/" + operatorSegment() + "/kg-"
                + keyGroups.getStartKeyGroup() + "-" + keyGroups.getEndKeyGroup() + "-sp-" + checkpointId + "-"
                + UUID.randomUUID();
    }

    private String operatorSegment() {
        return parameters.getOperatorIdentifier().replaceAll("[^a-zA-Z0-9\\-]", "_");
    }

    /** What the database paths of every attempt of this job, operator and key-group range start with. */
    private String attemptPrefix() {
        KeyGroupRange keyGroups = parameters.getKeyGroupRange();
        return rootPath + "/" + parameters.getJobID() + "/" + operatorSegment() + "/kg-" + keyGroups.getStartKeyGroup() + "-"
                + keyGroups.getEndKeyGroup() + "-attempt-";
    }

    /** A later attempt (or a restore) deletes the earlier attempts' databases nothing references any more. */
    private void sweepEarlierAttempts(ObjectStore store, String ownDatabase) {
        try {
            EarlierAttempts.sweep(store, attemptPrefix(), ownDatabase);
        } catch (RuntimeException e) {
            // Only space is at stake: the attempt runs, and the next one sweeps again.
            LOG.warn("Could not delete the databases of earlier attempts under {}: {}", attemptPrefix(), e.getMessage());
        }
    }

    /** The state handles to restore, without the null ones Flink may hand over. */
    private List<KeyedStateHandle> stateHandles() {
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (KeyedStateHandle handle : parameters.getStateHandles()) {
            if (handle != null) {
                handles.add(handle);
            }
        }
        return handles;
    }

    /**
     * Clones the snapshots' databases into this attempt's database and returns the states' meta data,
     * after checking the key serializer against the one the snapshots were written with.
     */
    private List<StateMetaInfoSnapshot> restore(Admin admin, List<KeyedStateHandle> handles, KeyGroupRange keyGroups,
                                                int keyGroupPrefixBytes, StateSerializerProvider<K> keySerializer,
                                                ClassLoader classLoader)
            throws IOException, StateMigrationException {
        List<CheckpointDescriptor> sources = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            sources.add(CheckpointDescriptors.read(handle));
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        Map<String, StateMetaInfoSnapshot> states = new LinkedHashMap<>();
        boolean keySerializerChecked = false;
        for (CheckpointDescriptor source : sources) {
            KeyedBackendSerializationProxy<K> proxy = new KeyedBackendSerializationProxy<>(classLoader);
            proxy.read(new DataInputViewStreamWrapper(new ByteArrayInputStream(source.getStateMeta().toByteArray())));
            if (!keySerializerChecked) {
                TypeSerializer<K> current = keySerializer.currentSchemaSerializer();
                TypeSerializerSchemaCompatibility<K> compatibility =
                        keySerializer.setPreviousSerializerSnapshotForRestoredState(proxy.getKeySerializerSnapshot());
                if (compatibility.isCompatibleAfterMigration() || compatibility.isIncompatible()) {
                    throw new StateMigrationException("The new key serializer (" + current
                            + ") must be compatible with the previous key serializer ("
                            + keySerializer.previousSchemaSerializer() + ").");
                }
                keySerializerChecked = true;
            }
            for (StateMetaInfoSnapshot state : proxy.getStateMetaInfoSnapshots()) {
                states.putIfAbsent(state.getName(), state);
            }
        }
        CloneRestore.cloneInto(admin, storeUrl, sources, keyGroups, keyGroupPrefixBytes);
        return new ArrayList<>(states.values());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // The original failure is what the caller sees.
        }
    }
}
