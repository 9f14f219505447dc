package io.slatedb;

import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Administers a database without opening it as its writer: checkpoints, manifests (and, later,
 * garbage collection). An admin never claims the writer epoch, so it never fences a running writer
 * (or compactor); it changes only the manifest's checkpoint list, each change a compare-and-swap on the
 * latest stored manifest that, when another process commits first, re-reads and applies the change
 * again, keeping everything that process wrote. A writer that loses a race to an admin likewise keeps
 * the admin's checkpoints.
 *
 * <p>Build with {@code Admin.builder(path, store).build()}. Thread-safe. Closing it only makes later
 * calls fail with kind {@link ErrorKind#CLOSED}; the store stays open (its owner closes it).
 */
public final class Admin implements AutoCloseable {
    private final String path;
    private final ObjectStore store;
    private final Clock clock;
    private final SequencedObjectStore<Manifest> manifests;
    private volatile boolean closed;

    private Admin(String path, ObjectStore store, Clock clock, boolean boundaryFiles) {
        this.path = path;
        this.store = store;
        this.clock = clock;
        this.manifests = ManifestStore.sequence(store, DbLayout.of(path), boundaryFiles);
    }

    /** A builder for the admin of the database at {@code path} in {@code store}. */
    public static Builder builder(String path, ObjectStore store) {
        return new Builder(path, store);
    }

    /** Builds an {@link Admin}. Not thread-safe; build once. */
    public static final class Builder {
        private final String path;
        private final ObjectStore store;
        private Clock clock = Clock.systemUTC();
        private boolean boundaryFiles = true;

        private Builder(String path, ObjectStore store) {
            this.path = Objects.requireNonNull(path, "path");
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * The wall clock that stamps checkpoints' creation and expiry times (and decides which have
         * expired); default the system clock in UTC.
         */
        public Builder withClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether manifest commits check the garbage collector's boundary file (SlateDB's default, on).
         * Turn it off only for stores without conditional overwrite, and then everywhere.
         */
        public Builder withBoundaryFiles(boolean enabled) {
            this.boundaryFiles = enabled;
            return this;
        }

        /** The admin; touches no object until a method is called. */
        public Admin build() {
            return new Admin(path, store, clock, boundaryFiles);
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Creates a checkpoint directly in the latest manifest, without coordinating with a running writer:
     * it pins the manifest that adds it (or, with {@link CheckpointOptions#source()}, the source
     * checkpoint's manifest), so writes a writer has not yet flushed to L0 are covered only as far as
     * that manifest's WAL range reaches.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when the database does not exist, is not
     *                          initialized, or the source checkpoint does not exist;
     *                          {@link ErrorKind#UNAVAILABLE} when the store fails
     */
    public CheckpointCreateResult createDetachedCheckpoint(CheckpointOptions options) {
        Objects.requireNonNull(options, "options");
        UUID id = UUID.randomUUID();
        Versioned<Manifest> written = update(Checkpoints.creating(id, options, clock));
        return Checkpoints.created(written.value(), id);
    }

    /** Every checkpoint of the latest manifest, in stored order (expired ones included until removed). */
    public List<CheckpointInfo> listCheckpoints() {
        return listCheckpoints(null);
    }

    /**
     * The checkpoints of the latest manifest whose name matches: {@code null} for all, {@code ""} for
     * the unnamed ones, otherwise those named exactly {@code name}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when the database does not exist
     */
    public List<CheckpointInfo> listCheckpoints(String name) {
        return Checkpoints.list(latest().value(), name).stream().map(Checkpoints::info).toList();
    }

    /**
     * Sets checkpoint {@code id} to expire {@code lifetime} from now ({@code null}: never), and returns
     * it as stored.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no such checkpoint (SlateDB
     *                          reports an invalid database state) or no database;
     *                          {@link ErrorKind#INVALID} for a negative lifetime
     */
    public CheckpointInfo refreshCheckpoint(UUID id, Duration lifetime) {
        Objects.requireNonNull(id, "id");
        Versioned<Manifest> written = update(Checkpoints.refreshing(id, lifetime, clock));
        return Checkpoints.info(Checkpoints.find(written.value(), id).orElseThrow(() -> new SlateDbException(
                ErrorKind.DATA, "checkpoint " + id + " vanished while it was refreshed")));
    }

    /**
     * Deletes checkpoint {@code id}. A missing checkpoint is not an error.
     *
     * @return whether the checkpoint existed
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when the database does not exist
     */
    public boolean deleteCheckpoint(UUID id) {
        Objects.requireNonNull(id, "id");
        boolean[] existed = {false};
        update(latest -> {
            Optional<Manifest> next = Checkpoints.deleted(latest.value(), id);
            existed[0] = next.isPresent();
            return next;
        });
        return existed[0];
    }

    /**
     * Removes every checkpoint that has expired by now (what the garbage collector does before each of
     * its tasks).
     *
     * @return how many were removed
     */
    public int removeExpiredCheckpoints() {
        int[] removed = {0};
        update(latest -> {
            Optional<Manifest> next = Checkpoints.removingExpired(clock).apply(latest);
            removed[0] = next.map(m -> latest.value().core().checkpoints().size() - m.core().checkpoints().size())
                    .orElse(0);
            return next;
        });
        return removed[0];
    }

    // ---------------------------------------------------------------- manifests

    /** The latest manifest, or empty when the database does not exist. */
    public Optional<ManifestSnapshot> readManifest() {
        checkOpen();
        return Futures.join(manifests.readLatest()).map(v -> new ManifestSnapshot(v.id(), v.value()));
    }

    /** Manifest {@code id} (unsigned), or empty when it does not exist (never written, or collected). */
    public Optional<ManifestSnapshot> readManifest(long id) {
        checkOpen();
        if (id == 0) {
            return Optional.empty();
        }
        return Futures.join(manifests.read(id)).map(v -> new ManifestSnapshot(v.id(), v.value()));
    }

    /** Every stored manifest, by ascending id. */
    public List<ManifestInfo> listManifests() {
        checkOpen();
        return Futures.join(manifests.listIds()).stream()
                .map(m -> new ManifestInfo(m.id(), m.metadata().path(), m.metadata().size(),
                        m.metadata().lastModified()))
                .toList();
    }

    // ---------------------------------------------------------------- garbage collection

    /**
     * Runs one garbage-collection pass over the database with {@code options} (every task the
     * options enable, after removing expired checkpoints) and returns what it deleted, or with
     * {@code dryRun} what it would delete, per task. Safe while a writer, compactor or other
     * collectors run: it deletes only what no manifest, live checkpoint or clone can reach.
     */
    public GarbageCollector.Result runGarbageCollection(GarbageCollectorOptions options, boolean dryRun) {
        checkOpen();
        try (GarbageCollector collector = GarbageCollector.builder(path, store).withOptions(options).withClock(clock)
                .build()) {
            return collector.runOnce(dryRun);
        }
    }

    /** {@link #runGarbageCollection(GarbageCollectorOptions, boolean)} with SlateDB's default options. */
    public GarbageCollector.Result runGarbageCollection(boolean dryRun) {
        return runGarbageCollection(GarbageCollectorOptions.DEFAULT, dryRun);
    }

    /** The database's path in the store. */
    public String path() {
        return path;
    }

    /** The object store the database lives in. */
    public ObjectStore store() {
        return store;
    }

    /** The clock this admin stamps and expires checkpoints with. */
    public Clock clock() {
        return clock;
    }

    /** Makes later calls fail with kind {@link ErrorKind#CLOSED}; the store stays open. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- internals

    private Versioned<Manifest> latest() {
        checkOpen();
        return Futures.join(manifests.readLatest()).orElseThrow(this::noDatabase);
    }

    /** Loads the latest manifest and commits {@code mutator}'s change on top of it, retrying lost races. */
    private Versioned<Manifest> update(Function<Versioned<Manifest>, Optional<Manifest>> mutator) {
        checkOpen();
        StoredObject<Manifest> manifest = Futures.join(StoredObject.load(manifests, "manifest"));
        return Futures.join(manifest.maybeApplyUpdate(mutator));
    }

    private SlateDbException noDatabase() {
        return new SlateDbException(ErrorKind.DATA, "no database at " + path + " in " + store.describe()
                + ": no manifest exists");
    }

    private void checkOpen() {
        if (closed) {
            throw SlateDbException.closed(CloseReason.CLEAN, "the admin of " + path + " is closed");
        }
    }
}
