package io.slatedb.flink.state;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyExtractorFunction;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.Keyed;
import org.apache.flink.runtime.state.PriorityComparable;
import org.apache.flink.runtime.state.PriorityComparator;
import org.apache.flink.runtime.state.PriorityQueueSetFactory;
import org.apache.flink.runtime.state.RegisteredPriorityQueueStateBackendMetaInfo;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueElement;
import org.apache.flink.runtime.state.heap.KeyGroupPartitionedPriorityQueue;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.StateMigrationException;

import javax.annotation.Nonnull;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Timer queues in the keyed backend's database: each queue is one {@link SlateDbCachingPriorityQueueSet}
 * per key group, under the keys {@code [key group][queue id][element]} (the queue id derived from its
 * name like a state id), so the timers are part of every SlateDB checkpoint and a restore or rescale
 * clones them with the rest of the key group. The queues' meta data (element serializers) is written
 * with the states' meta data.
 */
final class SlateDbPriorityQueueSetFactory implements PriorityQueueSetFactory {

    /** How many of the first elements of each key group's queue are kept in memory. */
    static final int CACHE_SIZE = 128;

    private final QueueStore store;
    private final KeyGroupRange keyGroupRange;
    private final int numberOfKeyGroups;
    private final int keyGroupPrefixBytes;
    /** Called with a new queue's name before it is used (the backend reserves its id). */
    private final Consumer<String> reserveName;
    private final int cacheSize;
    private final Map<String, RegisteredPriorityQueueStateBackendMetaInfo<?>> metaInfos = new LinkedHashMap<>();
    private final DataOutputSerializer sharedOut = new DataOutputSerializer(128);

    SlateDbPriorityQueueSetFactory(QueueStore store, KeyGroupRange keyGroupRange, int numberOfKeyGroups,
                                   int keyGroupPrefixBytes, Consumer<String> reserveName) {
        this(store, keyGroupRange, numberOfKeyGroups, keyGroupPrefixBytes, reserveName, CACHE_SIZE);
    }

    SlateDbPriorityQueueSetFactory(QueueStore store, KeyGroupRange keyGroupRange, int numberOfKeyGroups,
                                   int keyGroupPrefixBytes, Consumer<String> reserveName, int cacheSize) {
        this.cacheSize = cacheSize;
        this.store = store;
        this.keyGroupRange = keyGroupRange;
        this.numberOfKeyGroups = numberOfKeyGroups;
        this.keyGroupPrefixBytes = keyGroupPrefixBytes;
        this.reserveName = reserveName;
    }

    /** A queue of a restored snapshot: its elements are in the (cloned) database already. */
    void restore(StateMetaInfoSnapshot snapshot) {
        reserveName.accept(snapshot.getName());
        metaInfos.put(snapshot.getName(), new RegisteredPriorityQueueStateBackendMetaInfo<>(snapshot));
    }

    /** The meta data of every queue, registered or restored. */
    Collection<RegisteredPriorityQueueStateBackendMetaInfo<?>> metaInfos() {
        return metaInfos.values();
    }

    @Nonnull
    @Override
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
    KeyGroupedInternalPriorityQueue<T> create(@Nonnull String stateName, @Nonnull TypeSerializer<T> byteOrderedElementSerializer) {
        return create(stateName, byteOrderedElementSerializer, false);
    }

    @Nonnull
    @Override
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
    KeyGroupedInternalPriorityQueue<T> create(@Nonnull String stateName, @Nonnull TypeSerializer<T> byteOrderedElementSerializer,
                                              boolean allowFutureMetadataUpdates) {
        register(stateName, byteOrderedElementSerializer, allowFutureMetadataUpdates);
        int queueId = StateKeys.stateId(stateName);
        return new KeyGroupPartitionedPriorityQueue<>(
                KeyExtractorFunction.forKeyedObjects(),
                PriorityComparator.forPriorityComparableObjects(),
                (KeyGroupPartitionedPriorityQueue.PartitionQueueSetFactory<T, SlateDbCachingPriorityQueueSet<T>>)
                        (keyGroup, numKeyGroups, keyExtractor, comparator) -> new SlateDbCachingPriorityQueueSet<>(
                                store, StateKeys.queuePrefix(keyGroupPrefixBytes, keyGroup, queueId),
                                byteOrderedElementSerializer, cacheSize, sharedOut),
                keyGroupRange, numberOfKeyGroups);
    }

    /**
     * Registers a queue, or checks a registered one's new serializer: the elements are database keys in
     * the old serializer's byte order, so they cannot be migrated and only a compatible serializer may come.
     */
    @SuppressWarnings("unchecked")
    private <T> void register(String stateName, TypeSerializer<T> serializer, boolean allowFutureMetadataUpdates) {
        RegisteredPriorityQueueStateBackendMetaInfo<T> existing =
                (RegisteredPriorityQueueStateBackendMetaInfo<T>) metaInfos.get(stateName);
        if (existing == null) {
            reserveName.accept(stateName);
        } else if (existing.getPreviousElementSerializer() != serializer) {
            TypeSerializerSchemaCompatibility<T> compatibility = existing.updateElementSerializer(serializer);
            if (compatibility.isIncompatible()) {
                throw new FlinkRuntimeException(new StateMigrationException(
                        "The new priority queue serializer must not be incompatible."));
            }
        } else {
            return;
        }
        RegisteredPriorityQueueStateBackendMetaInfo<T> metaInfo =
                new RegisteredPriorityQueueStateBackendMetaInfo<>(stateName, serializer);
        metaInfos.put(stateName, allowFutureMetadataUpdates ? metaInfo.withSerializerUpgradesAllowed() : metaInfo);
    }
}
