package io.slatedb.flink.state;

import io.slatedb.SharedResources;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the keyed backends of one task slot share: one {@link SharedResources} (threads, and one block
 * cache and metadata cache bounded together by the slot's managed memory for this backend) and one
 * object store per store URL. Flink's memory manager holds it as the slot's shared managed-memory
 * resource and closes it when the last backend releases its lease, after every database on it closed.
 */
final class SlotResources implements AutoCloseable {

    /** The kind of shared managed-memory resource, one per slot. */
    static final String TYPE = "slatedb-state-backend";

    private final SharedResources shared;
    private final Map<String, ObjectStore> stores = new LinkedHashMap<>();

    private SlotResources(SharedResources shared) {
        this.shared = shared;
    }

    /** Resources whose caches take half ({@code block}) and an eighth ({@code meta}) of {@code budget}. */
    static SlotResources sized(long budget) {
        return new SlotResources(SharedResources.builder()
                .withBlockCacheBytes(MemorySizing.blockCacheBytes(budget))
                .withMetaCacheBytes(MemorySizing.metaCacheBytes(budget))
                .build());
    }

    SharedResources shared() {
        return shared;
    }

    /** The slot's store for {@code url}, opened on first use and closed with these resources. */
    synchronized ObjectStore store(String url) {
        return stores.computeIfAbsent(url, ObjectStores::resolve);
    }

    @Override
    public synchronized void close() {
        try {
            shared.close();
        } finally {
            stores.values().forEach(ObjectStore::close);
            stores.clear();
        }
    }
}
