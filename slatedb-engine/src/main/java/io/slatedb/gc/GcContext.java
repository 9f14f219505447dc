package io.slatedb.gc;

import io.slatedb.GarbageCollectorOptions;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.BoundaryFile;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.store.ObjectStore;

import java.time.Clock;
import java.util.Objects;

/**
 * What every collection task works with: the database's stores and layout, the clock that ages
 * objects, the options, and the two sequences of metadata objects with their boundary files.
 *
 * @param store    the main store (manifests, compacted SSTs, {@code .compactions}, {@code gc/})
 * @param walStore the store holding {@code wal/}; the main store unless the database has a separate one
 */
public record GcContext(ObjectStore store, ObjectStore walStore, DbLayout layout, Clock clock,
                        GarbageCollectorOptions options, SequencedObjectStore<Manifest> manifests,
                        SequencedObjectStore<byte[]> compactions) {

    public GcContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(walStore, "walStore");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(options, "options");
    }

    /** The context of the database at {@code path}. */
    public static GcContext of(ObjectStore store, ObjectStore walStore, String path, Clock clock,
                               GarbageCollectorOptions options) {
        DbLayout layout = DbLayout.of(path);
        boolean boundaries = options.boundaryFilesEnabled();
        SequencedObjectStore<Manifest> manifests = ManifestStore.sequence(store, layout, boundaries);
        SequencedObjectStore<byte[]> compactions = new SequencedObjectStore<>(store, layout.compactionsDir(),
                "compactions", RawCodec.INSTANCE,
                boundaries ? new BoundaryFile(store, layout.compactionsBoundaryPath()) : null);
        return new GcContext(store, walStore == null ? store : walStore, layout, clock, options, manifests,
                compactions);
    }

    /** The manifests' boundary file, or null when boundary files are disabled. */
    public BoundaryFile manifestBoundary() {
        return options.boundaryFilesEnabled() ? new BoundaryFile(store, layout.manifestBoundaryPath()) : null;
    }

    /**
     * The bound below which WAL collection deletes ({@code gc/wal.boundary}), or null when boundary files
     * are disabled.
     */
    public BoundaryFile walBound() {
        return options.boundaryFilesEnabled() ? new BoundaryFile(store, layout.walBoundaryPath()) : null;
    }

    /** The {@code .compactions} files' boundary file, or null when boundary files are disabled. */
    public BoundaryFile compactionsBoundary() {
        return options.boundaryFilesEnabled() ? new BoundaryFile(store, layout.compactionsBoundaryPath()) : null;
    }
}
