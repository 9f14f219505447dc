package io.slatedb;

import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.clone.CloneCreator;
import io.slatedb.clone.ClonePins;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.store.StoreStack;
import io.slatedb.util.Futures;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Administers a database without opening it as its writer: checkpoints, manifests, clones, garbage
 * collection and deletion. An admin never claims the writer epoch, so it never fences a running writer
 * (or compactor); in an existing database it changes only the manifest's checkpoint list, each change a
 * compare-and-swap on the latest stored manifest that, when another process commits first, re-reads and
 * applies the change again, keeping everything that process wrote. A writer that loses a race to an
 * admin likewise keeps the admin's checkpoints. {@link #createClone} writes a new database's manifests
 * (and checkpoints in its sources); {@link #deleteDb} deletes a whole database.
 *
 * <p>Build with {@code Admin.builder(path, store).build()}. Thread-safe. Transient store failures are
 * retried with the builder's {@link RetryPolicy}. Closing it makes later calls fail with kind
 * {@link ErrorKind#CLOSED} and stops its retry timer; the store stays open (its owner closes it).
 */
public final class Admin implements AutoCloseable {
    private final String path;
    private final ObjectStore userStore;
    private final StoreStack stores;
    private final ObjectStore store;
    private final Clock clock;
    private final boolean boundaryFiles;
    private final SequencedObjectStore<Manifest> manifests;
    private volatile boolean closed;

    private Admin(String path, ObjectStore userStore, Clock clock, boolean boundaryFiles, RetryPolicy retryPolicy) {
        this.path = path;
        this.userStore = userStore;
        this.stores = StoreStack.create("slatedb-admin-" + path, retryPolicy, null);
        this.store = stores.wrap(userStore);
        this.clock = clock;
        this.boundaryFiles = boundaryFiles;
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
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

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

        /**
         * How transient object-store failures are retried (of every store the admin is given, a clone's
         * WAL store included); default {@link RetryPolicy#DEFAULT}. A store that already retries (a
         * {@link RetryingObjectStore}) is not retried again.
         */
        public Builder withRetryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** The admin; touches no object until a method is called. */
        public Admin build() {
            return new Admin(path, store, clock, boundaryFiles, retryPolicy);
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

    // ---------------------------------------------------------------- clones

    /**
     * Makes the database at this admin's path a clone of {@code sourcePath} (SlateDB's
     * {@code create_clone}): a new database that starts from the source's state at checkpoint
     * {@code sourceCheckpointId}, or, when that is null, at a short-lived (5 minute) checkpoint of the
     * source's latest manifest, and then lives on with its own manifest, WAL and SSTs.
     *
     * <p>The clone is shallow: it reads the source's SSTs (and those the source itself reads from older
     * databases) where they are, pinned there by a never-expiring checkpoint per database, and copies
     * only the WAL SSTs the checkpoint references into its own {@code wal/}. Works from manifests only:
     * writes an open writer has not flushed are included only if the checkpoint covers them
     * ({@link Db#createCheckpoint} with {@link CheckpointScope#ALL} makes such a checkpoint).
     *
     * <p>Safe to repeat: after an interruption a rerun with the same source finishes the clone; after
     * success it checks the clone and changes nothing.
     *
     * @return the clone's initialized manifest
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when the clone path is the source path,
     *                          the source does not exist, is not initialized, keeps its WAL in a separate
     *                          store, or lacks the checkpoint; {@link ErrorKind#DATA} when a database at
     *                          the clone path is not a clone of this source (and checkpoint), or an
     *                          interrupted clone cannot be finished (the message says why);
     *                          {@link ErrorKind#UNAVAILABLE} when the store fails or a WAL SST is missing
     */
    public ManifestSnapshot createClone(String sourcePath, UUID sourceCheckpointId) {
        Objects.requireNonNull(sourcePath, "sourcePath");
        return createClone(CloneOptions.of(CloneSource.of(sourcePath, sourceCheckpointId)));
    }

    /**
     * Makes the database at this admin's path a clone as {@code options} say: of one source, of one
     * source's key range (a projection), or of several sources with disjoint key ranges (a union), whose
     * WAL may live in {@link CloneOptions#walStore()}. Sources of a projection or union must hold all their
     * data in SSTs. Otherwise as {@link #createClone(String, UUID)}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} also when there is no source, a source is
     *                          given twice, union sources overlap, or a projected or union source has
     *                          data in its WAL
     */
    public ManifestSnapshot createClone(CloneOptions options) {
        Objects.requireNonNull(options, "options");
        checkOpen();
        Versioned<Manifest> clone = new CloneCreator(store, stores.wrapOptional(options.walStore()), path, clock, boundaryFiles)
                .create(options.sources());
        return new ManifestSnapshot(clone.id(), clone.value());
    }

    /**
     * Deletes every object of the database (SlateDB's {@code delete_db}): a clone first releases the pin
     * checkpoints it holds in the databases it reads from; then a {@code .deleting} marker is written,
     * every object under the path is deleted, and the marker goes last, so an interrupted deletion is
     * visible and can be run again. Clones made from this database must have detached from it first
     * (their pins show in {@link #listCheckpoints()}): their reads would fail afterwards.
     *
     * @param confirm false for a dry run: nothing is changed, the paths are only listed
     * @return the paths deleted (or, in a dry run, that would be), the marker excluded
     */
    public List<String> deleteDb(boolean confirm) {
        checkOpen();
        DbLayout layout = DbLayout.of(path);
        String prefix = layout.root().isEmpty() ? "" : layout.root() + "/";
        List<String> paths = Futures.join(store.listAll(prefix)).stream().map(ObjectMetadata::path)
                .filter(p -> !p.equals(layout.deletingMarkerPath())).toList();
        if (!confirm) {
            return paths;
        }
        Optional<Versioned<Manifest>> latest = Futures.join(manifests.readLatest());
        if (latest.isPresent()) {
            ClonePins pins = new ClonePins(store, clock, boundaryFiles);
            latest.get().value().externalDbs().forEach(pins::release);
        }
        Futures.join(store.put(layout.deletingMarkerPath(), new byte[0]));
        for (String object : paths) {
            Futures.join(store.delete(object));
        }
        Futures.join(store.delete(layout.deletingMarkerPath()));
        return paths;
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

    /** The object store the database lives in, as the caller gave it. */
    public ObjectStore store() {
        return userStore;
    }

    /** The clock this admin stamps and expires checkpoints with. */
    public Clock clock() {
        return clock;
    }

    /**
     * Makes later calls fail with kind {@link ErrorKind#CLOSED} and stops the retry timer (a call waiting
     * to retry fails); the store stays open. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        stores.close();
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
