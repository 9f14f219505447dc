package io.slatedb.flink.state;

import io.slatedb.DbIterator;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.InternalPriorityQueue;
import org.apache.flink.runtime.state.heap.AbstractHeapPriorityQueueElement;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FlinkRuntimeException;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The timers of one queue in one key group, kept in the database as the keys
 * {@code [key group][queue id][element]} (empty values), the element written by Flink's
 * order-preserving serializer so that the database's key order is the queue's order. A small sorted
 * cache holds the head of the set: {@code peek} reads no database while the cache has elements, and
 * every change is written through to the database, so the database alone is what a checkpoint holds.
 * Flink's RocksDB backend keeps its timers the same way.
 */
final class SlateDbCachingPriorityQueueSet<E> extends AbstractHeapPriorityQueueElement
        implements InternalPriorityQueue<E> {

    private static final byte[] EMPTY = new byte[0];

    private final QueueStore store;
    private final TypeSerializer<E> serializer;
    private final byte[] prefix;
    /** The first key after every key with {@link #prefix}, or null when there is none. */
    private final byte[] prefixEnd;
    private final int cacheSize;
    private final DataOutputSerializer out;
    private final DataInputDeserializer in = new DataInputDeserializer();
    /** The smallest elements of the set (up to {@link #cacheSize}), serialized with the prefix. */
    private final TreeSet<byte[]> cache = new TreeSet<>(Arrays::compareUnsigned);
    /** Whether {@link #cache} holds every element of the set. Unknown after a restore: false. */
    private boolean allElementsInCache;
    /** A key at or before the first element: scans start after it, not over the deleted heads. */
    private byte[] seekHint;
    @Nullable
    private E peekCache;

    SlateDbCachingPriorityQueueSet(QueueStore store, byte[] prefix, TypeSerializer<E> serializer, int cacheSize,
                                   DataOutputSerializer sharedOut) {
        this.store = store;
        this.prefix = prefix;
        this.prefixEnd = QueueStore.prefixEnd(prefix);
        this.serializer = serializer;
        this.cacheSize = cacheSize;
        this.out = sharedOut;
        this.seekHint = prefix;
    }

    @Nullable
    @Override
    public E peek() {
        refillCacheIfEmpty();
        if (peekCache == null && !cache.isEmpty()) {
            peekCache = deserialize(cache.first());
        }
        return peekCache;
    }

    @Nullable
    @Override
    public E poll() {
        refillCacheIfEmpty();
        byte[] first = cache.pollFirst();
        if (first == null) {
            return null;
        }
        store.delete(first);
        if (cache.isEmpty()) {
            seekHint = first;
        }
        E head = peekCache != null ? peekCache : deserialize(first);
        peekCache = null;
        return head;
    }

    @Override
    public boolean add(@Nonnull E toAdd) {
        refillCacheIfEmpty();
        byte[] bytes = serialize(toAdd);
        boolean cacheFull = cache.size() >= cacheSize;
        if ((!cacheFull && allElementsInCache) || (!cache.isEmpty() && Arrays.compareUnsigned(bytes, cache.last()) < 0)) {
            if (cacheFull) {
                // The last element of the cache stays in the database only.
                cache.pollLast();
                allElementsInCache = false;
            }
            if (cache.add(bytes)) {
                store.put(bytes, EMPTY);
                if (cache.first() == bytes) {
                    peekCache = null;
                    return true;
                }
            }
        } else {
            store.put(bytes, EMPTY);
            allElementsInCache = false;
        }
        return false;
    }

    @Override
    public boolean remove(@Nonnull E toRemove) {
        refillCacheIfEmpty();
        byte[] oldHead = cache.isEmpty() ? null : cache.first();
        if (oldHead == null) {
            return false;
        }
        byte[] bytes = serialize(toRemove);
        store.delete(bytes);
        cache.remove(bytes);
        if (cache.isEmpty()) {
            seekHint = bytes;
            peekCache = null;
            return true;
        }
        if (oldHead != cache.first()) {
            peekCache = null;
            return true;
        }
        return false;
    }

    @Override
    public void addAll(@Nullable Collection<? extends E> toAdd) {
        if (toAdd != null) {
            for (E element : toAdd) {
                add(element);
            }
        }
    }

    @Override
    public boolean isEmpty() {
        refillCacheIfEmpty();
        return cache.isEmpty();
    }

    @Override
    public int size() {
        if (allElementsInCache) {
            return cache.size();
        }
        int count = 0;
        try (DbIterator it = scan()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    @Nonnull
    @Override
    public CloseableIterator<E> iterator() {
        DbIterator it = scan();
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return deserialize(it.next().key());
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    /** The set's keys from the seek hint on (every element is at or after it). */
    private DbIterator scan() {
        // The hint itself was deleted (or is the bare prefix): start at the next possible key.
        return store.scan(Arrays.copyOf(seekHint, seekHint.length + 1), prefixEnd);
    }

    private void refillCacheIfEmpty() {
        if (allElementsInCache || !cache.isEmpty()) {
            return;
        }
        try (DbIterator it = scan()) {
            while (cache.size() < cacheSize && it.hasNext()) {
                cache.add(it.next().key());
            }
            allElementsInCache = !it.hasNext();
        }
    }

    private byte[] serialize(E element) {
        try {
            out.clear();
            out.write(prefix);
            serializer.serialize(element, out);
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new FlinkRuntimeException("Could not serialize a timer of the SlateDB priority queue.", e);
        }
    }

    private E deserialize(byte[] key) {
        try {
            in.setBuffer(key, prefix.length, key.length - prefix.length);
            return serializer.deserialize(in);
        } catch (IOException e) {
            throw new FlinkRuntimeException("Could not deserialize a timer of the SlateDB priority queue.", e);
        }
    }
}
