package io.slatedb.flink.state;

import io.slatedb.Db;
import io.slatedb.SharedResources;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.flink.runtime.memory.MemoryManager;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;

/**
 * What one keyed backend's database runs on: an object store and, when managed memory is used, the
 * slot's {@link SlotResources} (shared threads and caches), leased from Flink's memory manager as
 * the RocksDB backend leases its cache. Closing releases the lease (or closes the backend's own store).
 */
final class BackendResources implements AutoCloseable {

    private final ObjectStore store;
    /** The slot's shared threads and caches, or null when the database has its own. */
    private final SharedResources shared;
    private final AutoCloseable release;

    private BackendResources(ObjectStore store, SharedResources shared, AutoCloseable release) {
        this.store = store;
        this.shared = shared;
        this.release = release;
    }

    /** A store of the backend's own; the database runs its own threads and caches. */
    static BackendResources own(String storeUrl) {
        ObjectStore store = ObjectStores.resolve(storeUrl);
        return new BackendResources(store, null, store::close);
    }

    /**
     * A lease on the slot's shared resources, created with {@code fraction} of the slot's managed memory
     * by the first backend of the slot.
     */
    static BackendResources ofSlot(MemoryManager memoryManager, double fraction, String storeUrl) throws Exception {
        OpaqueMemoryResource<SlotResources> lease = memoryManager.getSharedMemoryResourceForManagedMemory(
                SlotResources.TYPE, SlotResources::sized, fraction);
        try {
            SlotResources slot = lease.getResourceHandle();
            return new BackendResources(slot.store(storeUrl), slot.shared(), lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    ObjectStore store() {
        return store;
    }

    /** Whether the database runs on the slot's shared threads and caches. */
    boolean isShared() {
        return shared != null;
    }

    /** Has {@code builder} run the database on the shared threads and caches, if any. */
    Db.Builder applyTo(Db.Builder builder) {
        return shared == null ? builder : builder.withResources(shared);
    }

    @Override
    public void close() throws Exception {
        release.close();
    }
}
