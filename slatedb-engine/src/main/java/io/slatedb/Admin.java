package io.slatedb;

import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.checkpoint.WalRetentions;
import io.slatedb.clone.CloneCreator;
import io.slatedb.clone.ClonePins;
import io.slatedb.dbreader.ManifestPosition;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestSsts;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.util.StoreStack;
import io.slatedb.util.Futures;
import io.slatedb.util.Utf8Order;
import io.slatedb.wal.WalObjects;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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

    /**
     * A builder for the admin of the database at {@code path} (a database path, see {@link Db#open}) in {@code store}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when {@code path} is not a database path
     */
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
            this.path = DbLayout.of(path).root(); // refuses what is not a database path
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

    /**
     * The position of checkpoint {@code id}: its manifest, and the highest sequence number and last WAL
     * file a reader of that checkpoint ({@link DbReader.Builder#withCheckpointId}) sees, its SSTs plus
     * the WAL files the manifest covers. A consumer that copies the checkpoint with such a reader
     * continues with a {@link WalChangeFeed} {@link WalChangeFeed.Builder#withStartAfter(DbPosition) after}
     * this position. Reads the covered WAL files from the newest back to the first holding rows.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no such checkpoint, its
     *                          manifest is missing, or (a {@link WalTruncatedException}) a WAL file it
     *                          covers is gone
     */
    public DbPosition checkpointPosition(UUID id) {
        Versioned<Manifest> pinned = checkpointManifest(id);
        return Futures.join(ManifestPosition.of(store, DbLayout.of(path), pinned));
    }

    /**
     * The SSTs checkpoint {@code id} keeps: how many and their bytes, each SST once (see
     * {@link CheckpointSize}). Reads the manifest the checkpoint pins, nothing else.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no such checkpoint or its
     *                          manifest is missing
     */
    public CheckpointSize checkpointSize(UUID id) {
        Versioned<Manifest> pinned = checkpointManifest(id);
        ManifestSsts ssts = ManifestSsts.of(pinned.value());
        return new CheckpointSize(id, pinned.id(), ssts.count(), ssts.bytes());
    }

    /**
     * What checkpoint {@code newerId} adds to checkpoint {@code olderId}: the SSTs the newer one's
     * manifest references and the older one's does not, counted and summed as
     * {@link #checkpointSize(UUID)} does (an incremental checkpoint's size). Both checkpoints must exist.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when either checkpoint or its manifest is
     *                          missing
     */
    public CheckpointSize sizeSince(UUID newerId, UUID olderId) {
        Objects.requireNonNull(newerId, "newerId");
        Objects.requireNonNull(olderId, "olderId");
        Manifest latest = latest().value();
        Versioned<Manifest> newer = checkpointManifest(latest, newerId);
        Versioned<Manifest> older = checkpointManifest(latest, olderId);
        ManifestSsts added = ManifestSsts.of(newer.value()).without(ManifestSsts.of(older.value()));
        return new CheckpointSize(newerId, newer.id(), added.count(), added.bytes());
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

    // ---------------------------------------------------------------- WAL retention

    /**
     * Creates WAL retention slot {@code name} holding the WAL from {@code walId} on (see
     * {@link WalRetention}): a change-feed consumer creates it at its next WAL id ({@code saved + 1}, or
     * {@link DbPosition#nextWalId()} after a snapshot) before it starts reading, and moves it as it saves
     * its position. With a {@code lifetime} the slot expires unless moved (or refreshed by a move to the
     * same id) within that time; {@code null} holds the WAL until released.
     *
     * <p>After writing the slot, the call checks that the WAL from {@code walId} on is still stored: if the
     * collector deleted it before, the slot is removed again and a {@link WalTruncatedException} tells
     * the oldest id left. A collector run that had read the manifest before the slot was written may
     * still delete files below the latest manifest's replay point; a consumer that keeps its slot from
     * the start, or the collector's WAL {@code min_age}, rules that out.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} for an empty name, a slot of that name
     *                          that exists already, WAL id 0 or a negative lifetime; {@link ErrorKind#DATA}
     *                          (a {@link WalTruncatedException}) when WAL file {@code walId} is gone, or
     *                          when there is no database
     */
    public WalRetention createWalRetention(String name, long walId, Duration lifetime) {
        Versioned<Manifest> written = update(WalRetentions.creating(name, walId, lifetime, clock));
        WalRetention slot = WalRetentions.find(written.value(), name).orElseThrow();
        checkWalStillStored(slot, written.value());
        return slot;
    }

    /**
     * Moves WAL retention slot {@code name} forward to {@code walId}, releasing the WAL below it, and
     * starts its lifetime again. Moving to the slot's own id only refreshes it.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no such slot (released, or
     *                          expired and removed) or no database; {@link ErrorKind#INVALID} when
     *                          {@code walId} is below the slot's position or 0
     */
    public WalRetention moveWalRetention(String name, long walId) {
        Versioned<Manifest> written = update(WalRetentions.moving(name, walId, clock));
        return WalRetentions.find(written.value(), name).orElseThrow();
    }

    /**
     * Releases WAL retention slot {@code name}: the collector may take the WAL it held. A missing slot is
     * not an error.
     *
     * @return whether the slot existed
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no database
     */
    public boolean releaseWalRetention(String name) {
        boolean[] existed = {false};
        update(latest -> {
            Optional<Manifest> next = WalRetentions.releasing(name).apply(latest);
            existed[0] = next.isPresent();
            return next;
        });
        return existed[0];
    }

    /** The WAL retention slots of the latest manifest (expired ones included until removed). */
    public List<WalRetention> listWalRetentions() {
        return WalRetentions.list(latest().value());
    }

    /** Fails, after removing the slot, when WAL file {@code slot.walId()} is below what is stored. */
    private void checkWalStillStored(WalRetention slot, Manifest written) {
        long walId = slot.walId();
        if (Long.compareUnsigned(walId, written.core().replayAfterWalId()) >= 0) {
            return; // the latest manifest held these files all along
        }
        Optional<WalRange> stored = walRange();
        if (stored.isPresent() && Long.compareUnsigned(stored.get().oldestWalId(), walId) <= 0) {
            return;
        }
        update(latest -> Checkpoints.deleted(latest.value(), slot.checkpointId()));
        throw new WalTruncatedException(walId, DbLayout.of(path).walSstPath(walId),
                stored.map(range -> OptionalLong.of(range.oldestWalId())).orElse(OptionalLong.empty()));
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

    /**
     * The oldest and newest WAL ids the database stores now (a listing of its {@code wal/} directory), or
     * empty when it stores none: where a {@link WalChangeFeed} can start.
     *
     * @throws SlateDbException of kind {@link ErrorKind#UNAVAILABLE} when the store fails
     */
    public Optional<WalRange> walRange() {
        checkOpen();
        return Futures.join(WalObjects.range(store, DbLayout.of(path)));
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
     * the database's objects are deleted, and the marker goes last, so an interrupted deletion is visible
     * and can be run again. The database's objects are those of its layout: everything under
     * {@code <path>/manifest/}, {@code wal/}, {@code compacted/}, {@code compactions/} and {@code gc/}.
     * Nothing else under the path is touched, so a database nested below it ({@code <path>/child}), a
     * neighbour whose name merely starts with it, and the sources of a clone keep every object. Clones
     * made from this database must have detached from it first (their pins show in
     * {@link #listCheckpoints()}): their reads would fail afterwards.
     *
     * @param confirm false for a dry run: nothing is changed, the paths are only listed
     * A database with no objects is left alone: nothing is written.
     *
     * @return the paths deleted (or, in a dry run, that would be), the marker excluded, in UTF-8 order
     */
    public List<String> deleteDb(boolean confirm) {
        checkOpen();
        DbLayout layout = DbLayout.of(path);
        List<String> paths = new ArrayList<>();
        for (String prefix : layout.objectDirectoryPrefixes()) {
            Futures.join(store.listAll(prefix)).forEach(object -> paths.add(object.path()));
        }
        paths.sort(Utf8Order.COMPARATOR);
        if (!confirm || paths.isEmpty() && !exists(layout.deletingMarkerPath())) {
            return List.copyOf(paths); // a dry run, or no database: nothing is written
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
        return List.copyOf(paths);
    }

    private boolean exists(String objectPath) {
        return Futures.join(store.listAll(objectPath)).stream().anyMatch(object -> object.path().equals(objectPath));
    }

    // ---------------------------------------------------------------- garbage collection

    /**
     * Runs one garbage-collection pass over the database with {@code options} (every task the
     * options enable, after removing expired checkpoints) and returns what it deleted, or with
     * {@code dryRun} what it would delete, per task. Safe while a writer, compactor or other
     * collectors run: it deletes only what no manifest, live checkpoint or clone can reach.
     */
    public GarbageCollectorResult runGarbageCollection(GarbageCollectorOptions options, boolean dryRun) {
        checkOpen();
        try (GarbageCollector collector = GarbageCollector.builder(path, store).withOptions(options).withClock(clock)
                .build()) {
            return collector.runOnce(dryRun);
        }
    }

    /** {@link #runGarbageCollection(GarbageCollectorOptions, boolean)} with SlateDB's default options. */
    public GarbageCollectorResult runGarbageCollection(boolean dryRun) {
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

    /** The manifest checkpoint {@code id} of the latest manifest pins. */
    private Versioned<Manifest> checkpointManifest(UUID id) {
        Objects.requireNonNull(id, "id");
        return checkpointManifest(latest().value(), id);
    }

    private Versioned<Manifest> checkpointManifest(Manifest latest, UUID id) {
        long manifestId = Checkpoints.find(latest, id).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                "checkpoint " + id + " does not exist in " + path)).manifestId();
        return Futures.join(manifests.read(manifestId)).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                "manifest " + Long.toUnsignedString(manifestId) + " pinned by checkpoint " + id + " is missing"));
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
