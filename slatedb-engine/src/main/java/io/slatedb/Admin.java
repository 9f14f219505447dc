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
import io.slatedb.metadata.BoundaryFile;
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
import java.util.concurrent.CompletableFuture;
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
 * <p>Every operation that waits on the store comes in two forms: {@code x(...)} blocks and throws a
 * {@link SlateDbException}, {@code xAsync(...)} returns at once a {@link CompletableFuture} that fails
 * with that same exception (null arguments still throw at once).
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
        return Futures.join(createDetachedCheckpointAsync(options));
    }

    /**
     * {@link #createDetachedCheckpoint} without blocking: the future fails with the errors that method
     * throws.
     */
    public CompletableFuture<CheckpointCreateResult> createDetachedCheckpointAsync(CheckpointOptions options) {
        Objects.requireNonNull(options, "options");
        return Futures.failing(() -> {
            UUID id = UUID.randomUUID();
            return update(Checkpoints.creating(id, options, clock))
                    .thenApply(written -> Checkpoints.created(written.value(), id));
        });
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
        return Futures.join(checkpointPositionAsync(id));
    }

    /** {@link #checkpointPosition} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<DbPosition> checkpointPositionAsync(UUID id) {
        Objects.requireNonNull(id, "id");
        return latest().thenCompose(latest -> checkpointManifest(latest.value(), id))
                .thenCompose(pinned -> ManifestPosition.of(store, DbLayout.of(path), pinned));
    }

    /**
     * The SSTs checkpoint {@code id} keeps: how many and their bytes, each SST once (see
     * {@link CheckpointSize}). Reads the manifest the checkpoint pins, nothing else.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no such checkpoint or its
     *                          manifest is missing
     */
    public CheckpointSize checkpointSize(UUID id) {
        return Futures.join(checkpointSizeAsync(id));
    }

    /** {@link #checkpointSize} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<CheckpointSize> checkpointSizeAsync(UUID id) {
        Objects.requireNonNull(id, "id");
        return latest().thenCompose(latest -> checkpointManifest(latest.value(), id)).thenApply(pinned -> {
            ManifestSsts ssts = ManifestSsts.of(pinned.value());
            return new CheckpointSize(id, pinned.id(), ssts.count(), ssts.bytes());
        });
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
        return Futures.join(sizeSinceAsync(newerId, olderId));
    }

    /** {@link #sizeSince} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<CheckpointSize> sizeSinceAsync(UUID newerId, UUID olderId) {
        Objects.requireNonNull(newerId, "newerId");
        Objects.requireNonNull(olderId, "olderId");
        return latest().thenCompose(latest -> checkpointManifest(latest.value(), newerId)
                .thenCombine(checkpointManifest(latest.value(), olderId), (newer, older) -> {
                    ManifestSsts added = ManifestSsts.of(newer.value()).without(ManifestSsts.of(older.value()));
                    return new CheckpointSize(newerId, newer.id(), added.count(), added.bytes());
                }));
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
        return Futures.join(listCheckpointsAsync(name));
    }

    /** {@link #listCheckpoints()} without blocking. */
    public CompletableFuture<List<CheckpointInfo>> listCheckpointsAsync() {
        return listCheckpointsAsync(null);
    }

    /** {@link #listCheckpoints(String)} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<List<CheckpointInfo>> listCheckpointsAsync(String name) {
        return latest().thenApply(latest -> Checkpoints.list(latest.value(), name).stream().map(Checkpoints::info)
                .toList());
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
        return Futures.join(refreshCheckpointAsync(id, lifetime));
    }

    /** {@link #refreshCheckpoint} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<CheckpointInfo> refreshCheckpointAsync(UUID id, Duration lifetime) {
        Objects.requireNonNull(id, "id");
        return Futures.failing(() -> update(Checkpoints.refreshing(id, lifetime, clock)).thenApply(written ->
                Checkpoints.info(Checkpoints.find(written.value(), id).orElseThrow(() -> new SlateDbException(
                        ErrorKind.DATA, "checkpoint " + id + " vanished while it was refreshed")))));
    }

    /**
     * Deletes checkpoint {@code id}. A missing checkpoint is not an error.
     *
     * @return whether the checkpoint existed
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when the database does not exist
     */
    public boolean deleteCheckpoint(UUID id) {
        return Futures.join(deleteCheckpointAsync(id));
    }

    /** {@link #deleteCheckpoint} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<Boolean> deleteCheckpointAsync(UUID id) {
        Objects.requireNonNull(id, "id");
        boolean[] existed = {false};
        return update(latest -> {
            Optional<Manifest> next = Checkpoints.deleted(latest.value(), id);
            existed[0] = next.isPresent();
            return next;
        }).thenApply(written -> existed[0]);
    }

    /**
     * Removes every checkpoint that has expired by now (what the garbage collector does before each of
     * its tasks).
     *
     * @return how many were removed
     */
    public int removeExpiredCheckpoints() {
        return Futures.join(removeExpiredCheckpointsAsync());
    }

    /** {@link #removeExpiredCheckpoints} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<Integer> removeExpiredCheckpointsAsync() {
        int[] removed = {0};
        return update(latest -> {
            Optional<Manifest> next = Checkpoints.removingExpired(clock).apply(latest);
            removed[0] = next.map(m -> latest.value().core().checkpoints().size() - m.core().checkpoints().size())
                    .orElse(0);
            return next;
        }).thenApply(written -> removed[0]);
    }

    // ---------------------------------------------------------------- WAL retention

    /**
     * Creates WAL retention slot {@code name} holding the WAL from {@code walId} on (see
     * {@link WalRetention}): a change-feed consumer creates it at its next WAL id ({@code saved + 1}, or
     * {@link DbPosition#nextWalId()} after a snapshot) before it starts reading, and moves it as it saves
     * its position. With a {@code lifetime} the slot expires unless moved (or refreshed by a move to the
     * same id) within that time; {@code null} holds the WAL until released.
     *
     * <p>A slot that returns holds every WAL file from {@code walId} on that is stored now. After writing
     * the slot, the call checks that this is so, and otherwise removes the slot again and fails with a
     * {@link WalTruncatedException} telling the oldest id left: when the WAL from {@code walId} is
     * already gone, and also when a collector run that read the manifest before the slot existed may be
     * deleting WAL files at or above {@code walId} (the bound such a run publishes in
     * {@code gc/wal.boundary} before it re-reads the manifest and deletes is above {@code walId}). Either
     * way the consumer takes a new snapshot.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} for an empty name, a slot of that name
     *                          that exists already, WAL id 0 or a negative lifetime; {@link ErrorKind#DATA}
     *                          (a {@link WalTruncatedException}) when WAL file {@code walId} is gone or
     *                          being collected, or when there is no database
     */
    public WalRetention createWalRetention(String name, long walId, Duration lifetime) {
        return Futures.join(createWalRetentionAsync(name, walId, lifetime));
    }

    /** {@link #createWalRetention} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<WalRetention> createWalRetentionAsync(String name, long walId, Duration lifetime) {
        return Futures.failing(() -> update(WalRetentions.creating(name, walId, lifetime, clock))
                .thenCompose(written -> {
                    WalRetention slot = WalRetentions.find(written.value(), name).orElseThrow();
                    return checkWalStillStored(slot, written.value()).thenApply(unused -> slot);
                }));
    }

    /**
     * Moves WAL retention slot {@code name} forward to {@code walId}, releasing the WAL below it, and
     * starts its lifetime again. Moving to the slot's own id only refreshes it. A slot never moves back:
     * the one manifest write that moves it replaces its checkpoint, so the WAL from the new position on
     * has been held without a gap since the slot was created (which checked it was stored).
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no such slot (released, or
     *                          expired and removed) or no database; {@link ErrorKind#INVALID} when
     *                          {@code walId} is below the slot's position or 0
     */
    public WalRetention moveWalRetention(String name, long walId) {
        return Futures.join(moveWalRetentionAsync(name, walId));
    }

    /** {@link #moveWalRetention} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<WalRetention> moveWalRetentionAsync(String name, long walId) {
        return Futures.failing(() -> update(WalRetentions.moving(name, walId, clock))
                .thenApply(written -> WalRetentions.find(written.value(), name).orElseThrow()));
    }

    /**
     * Releases WAL retention slot {@code name}: the collector may take the WAL it held. A missing slot is
     * not an error.
     *
     * @return whether the slot existed
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no database
     */
    public boolean releaseWalRetention(String name) {
        return Futures.join(releaseWalRetentionAsync(name));
    }

    /** {@link #releaseWalRetention} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<Boolean> releaseWalRetentionAsync(String name) {
        return Futures.failing(() -> {
            Function<Versioned<Manifest>, Optional<Manifest>> releasing = WalRetentions.releasing(name);
            boolean[] existed = {false};
            return update(latest -> {
                Optional<Manifest> next = releasing.apply(latest);
                existed[0] = next.isPresent();
                return next;
            }).thenApply(written -> existed[0]);
        });
    }

    /** The WAL retention slots of the latest manifest (expired ones included until removed). */
    public List<WalRetention> listWalRetentions() {
        return Futures.join(listWalRetentionsAsync());
    }

    /** {@link #listWalRetentions} without blocking. */
    public CompletableFuture<List<WalRetention>> listWalRetentionsAsync() {
        return latest().thenApply(latest -> WalRetentions.list(latest.value()));
    }

    /**
     * Fails, after removing the slot, unless the WAL from {@code slot.walId()} on is stored and no
     * collector run that missed the slot may delete from it. Linearizable against this engine's
     * collector without a lock: a run raises {@code gc/wal.boundary} to one past the highest id it is
     * about to delete, then re-reads the latest manifest and deletes only what that manifest leaves. The
     * slot's manifest write came before this read of the bound; so either the run's re-read came after
     * the write and sees the slot (deleting nothing it holds), or the run raised the bound before the
     * write and this read sees it: a slot below it fails.
     */
    private CompletableFuture<Void> checkWalStillStored(WalRetention slot, Manifest written) {
        long walId = slot.walId();
        DbLayout layout = DbLayout.of(path);
        return new BoundaryFile(store, layout.walBoundaryPath()).read().thenCompose(bound -> {
            if (Long.compareUnsigned(walId, bound) < 0) {
                return removeAndFail(slot); // a run that missed the slot may be deleting from walId on
            }
            if (Long.compareUnsigned(walId, written.core().replayAfterWalId()) >= 0) {
                return CompletableFuture.completedFuture(null); // the latest manifest held these files all along
            }
            // Collectors that publish no bound (SlateDB's) may have deleted below the replay point.
            return WalObjects.range(store, layout).thenCompose(stored ->
                    stored.isPresent() && Long.compareUnsigned(stored.get().oldestWalId(), walId) <= 0
                            ? CompletableFuture.completedFuture(null) : removeAndFail(slot));
        });
    }

    /** Removes {@code slot} and fails with a {@link WalTruncatedException} naming the oldest WAL id stored. */
    private CompletableFuture<Void> removeAndFail(WalRetention slot) {
        long walId = slot.walId();
        return update(latest -> Checkpoints.deleted(latest.value(), slot.checkpointId()))
                .thenCompose(unused -> WalObjects.range(store, DbLayout.of(path)))
                .thenCompose(stored -> CompletableFuture.failedFuture(new WalTruncatedException(walId,
                        DbLayout.of(path).walSstPath(walId),
                        stored.map(range -> OptionalLong.of(range.oldestWalId())).orElse(OptionalLong.empty()))));
    }

    // ---------------------------------------------------------------- manifests

    /** The latest manifest, or empty when the database does not exist. */
    public Optional<ManifestSnapshot> readManifest() {
        return Futures.join(readManifestAsync());
    }

    /** {@link #readManifest()} without blocking. */
    public CompletableFuture<Optional<ManifestSnapshot>> readManifestAsync() {
        return Futures.failing(() -> {
            checkOpen();
            return manifests.readLatest().thenApply(latest -> latest.map(v -> new ManifestSnapshot(v.id(), v.value())));
        });
    }

    /** Manifest {@code id} (unsigned), or empty when it does not exist (never written, or collected). */
    public Optional<ManifestSnapshot> readManifest(long id) {
        return Futures.join(readManifestAsync(id));
    }

    /** {@link #readManifest(long)} without blocking. */
    public CompletableFuture<Optional<ManifestSnapshot>> readManifestAsync(long id) {
        return Futures.failing(() -> {
            checkOpen();
            if (id == 0) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return manifests.read(id).thenApply(read -> read.map(v -> new ManifestSnapshot(v.id(), v.value())));
        });
    }

    /** Every stored manifest, by ascending id. */
    public List<ManifestInfo> listManifests() {
        return Futures.join(listManifestsAsync());
    }

    /** {@link #listManifests()} without blocking. */
    public CompletableFuture<List<ManifestInfo>> listManifestsAsync() {
        return Futures.failing(() -> {
            checkOpen();
            return manifests.listIds().thenApply(listed -> listed.stream()
                    .map(m -> new ManifestInfo(m.id(), m.metadata().path(), m.metadata().size(),
                            m.metadata().lastModified()))
                    .toList());
        });
    }

    /**
     * The oldest and newest WAL ids the database stores now (a listing of its {@code wal/} directory), or
     * empty when it stores none: where a {@link WalChangeFeed} can start.
     *
     * @throws SlateDbException of kind {@link ErrorKind#UNAVAILABLE} when the store fails
     */
    public Optional<WalRange> walRange() {
        return Futures.join(walRangeAsync());
    }

    /** {@link #walRange()} without blocking: the future fails with the errors that method throws. */
    public CompletableFuture<Optional<WalRange>> walRangeAsync() {
        return Futures.failing(() -> {
            checkOpen();
            return WalObjects.range(store, DbLayout.of(path));
        });
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
        return Futures.join(createCloneAsync(sourcePath, sourceCheckpointId));
    }

    /**
     * {@link #createClone(String, UUID)} without blocking (the clone is made on a thread of its own): the
     * future fails with the errors that method throws.
     */
    public CompletableFuture<ManifestSnapshot> createCloneAsync(String sourcePath, UUID sourceCheckpointId) {
        Objects.requireNonNull(sourcePath, "sourcePath");
        return createCloneAsync(CloneOptions.of(CloneSource.of(sourcePath, sourceCheckpointId)));
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
        return Futures.join(createCloneAsync(options));
    }

    /**
     * {@link #createClone(CloneOptions)} without blocking (the clone is made on a thread of its own): the
     * future fails with the errors that method throws.
     */
    public CompletableFuture<ManifestSnapshot> createCloneAsync(CloneOptions options) {
        Objects.requireNonNull(options, "options");
        return Futures.failing(() -> {
            checkOpen();
            return Futures.offload("slatedb-admin-" + path + "-clone", () -> {
                Versioned<Manifest> clone = new CloneCreator(store, stores.wrapOptional(options.walStore()), path,
                        clock, boundaryFiles).create(options.sources());
                return new ManifestSnapshot(clone.id(), clone.value());
            });
        });
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
        return Futures.join(deleteDbAsync(confirm));
    }

    /**
     * {@link #deleteDb} without blocking (the deletion runs on a thread of its own): the future fails
     * with the errors that method throws.
     */
    public CompletableFuture<List<String>> deleteDbAsync(boolean confirm) {
        return Futures.failing(() -> {
            checkOpen();
            return Futures.offload("slatedb-admin-" + path + "-delete", () -> deleteObjects(confirm));
        });
    }

    private List<String> deleteObjects(boolean confirm) {
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
        manifests.forgetLatest();
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
     *
     * @throws SlateDbException of kind DATA when the database has no manifest or a live checkpoint's
     *                          manifest is missing; UNAVAILABLE when the store fails
     */
    public GarbageCollectorResult runGarbageCollection(GarbageCollectorOptions options, boolean dryRun) {
        return Futures.join(runGarbageCollectionAsync(options, dryRun));
    }

    /** {@link #runGarbageCollection(GarbageCollectorOptions, boolean)} with SlateDB's default options. */
    public GarbageCollectorResult runGarbageCollection(boolean dryRun) {
        return runGarbageCollection(GarbageCollectorOptions.DEFAULT, dryRun);
    }

    /**
     * {@link #runGarbageCollection(GarbageCollectorOptions, boolean)} without blocking (see
     * {@link GarbageCollector#runOnceAsync}): the future fails with the errors that method throws.
     */
    public CompletableFuture<GarbageCollectorResult> runGarbageCollectionAsync(GarbageCollectorOptions options,
                                                                            boolean dryRun) {
        Objects.requireNonNull(options, "options");
        return Futures.failing(() -> {
            checkOpen();
            GarbageCollector collector = GarbageCollector.builder(path, store).withOptions(options).withClock(clock)
                    .build();
            return collector.runOnceAsync(dryRun).whenComplete((result, failure) -> collector.close());
        });
    }

    /** {@link #runGarbageCollection(boolean)} without blocking. */
    public CompletableFuture<GarbageCollectorResult> runGarbageCollectionAsync(boolean dryRun) {
        return runGarbageCollectionAsync(GarbageCollectorOptions.DEFAULT, dryRun);
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

    /** The latest manifest; fails with DATA when there is none. */
    private CompletableFuture<Versioned<Manifest>> latest() {
        return Futures.failing(() -> {
            checkOpen();
            return manifests.readLatest().thenApply(latest -> latest.orElseThrow(this::noDatabase));
        });
    }

    /** Loads the latest manifest and commits {@code mutator}'s change on top of it, retrying lost races. */
    private CompletableFuture<Versioned<Manifest>> update(Function<Versioned<Manifest>, Optional<Manifest>> mutator) {
        return Futures.failing(() -> {
            checkOpen();
            return StoredObject.load(manifests, "manifest").thenCompose(manifest -> manifest.maybeApplyUpdate(mutator));
        });
    }

    /** The manifest checkpoint {@code id} of {@code latest} pins. */
    private CompletableFuture<Versioned<Manifest>> checkpointManifest(Manifest latest, UUID id) {
        return Futures.failing(() -> {
            long manifestId = Checkpoints.find(latest, id).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                    "checkpoint " + id + " does not exist in " + path)).manifestId();
            return manifests.read(manifestId).thenApply(read -> read.orElseThrow(() -> new SlateDbException(
                    ErrorKind.DATA, "manifest " + Long.toUnsignedString(manifestId) + " pinned by checkpoint " + id
                    + " is missing")));
        });
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
