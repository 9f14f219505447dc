package io.slatedb.clone;

import io.slatedb.CheckpointOptions;
import io.slatedb.CloneSource;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.metadata.ObjectVersionExistsException;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.sst.KeyRange;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalFile;
import io.slatedb.wal.WalObjects;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates a clone (SlateDB's {@code create_clone}, §10 of the reference) in three steps, each safe to
 * repeat: (1) write the clone's manifest 1 with {@code initialized = false}, (2) make sure every
 * database it reads SSTs from holds its pin checkpoint, copy the WAL SSTs the source checkpoint
 * references into the clone's {@code wal/}, (3) commit the manifest with {@code initialized = true}.
 * A rerun after an interruption validates that the clone was made from the same sources (and
 * checkpoints, when given) and finishes steps 2 and 3; a rerun after success only validates.
 */
public final class CloneCreator {
    /** How long the source checkpoint lives when the caller names none (SlateDB's 5 minutes). */
    static final Duration EPHEMERAL_CHECKPOINT_LIFETIME = Duration.ofMinutes(5);

    private final ObjectStore store;
    private final ObjectStore walStore;
    private final String clonePath;
    private final Clock clock;
    private final boolean boundaryFiles;
    private final ClonePins pins;

    /**
     * @param walStore the store holding the sources' WAL, or null when it is {@code store}
     */
    public CloneCreator(ObjectStore store, ObjectStore walStore, String clonePath, Clock clock, boolean boundaryFiles) {
        this.store = Objects.requireNonNull(store, "store");
        this.walStore = walStore;
        this.clonePath = DbLayout.of(clonePath).root();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.boundaryFiles = boundaryFiles;
        this.pins = new ClonePins(store, clock, boundaryFiles);
    }

    /**
     * Creates the clone of {@code sources}, or finishes or validates an earlier attempt.
     *
     * @return the clone's initialized manifest
     */
    public Versioned<Manifest> create(List<CloneSource> sources) {
        validate(sources);
        SequencedObjectStore<Manifest> clone = manifests(clonePath);
        Optional<Versioned<Manifest>> existing = Futures.join(clone.readLatest());
        if (existing.isPresent()) {
            checkAttached(existing.get().value(), sources);
            if (existing.get().value().core().initialized()) {
                checkPinsExist(existing.get().value());
                return existing.get();
            }
            return finish(existing.get().value(), resumedWalSource(existing.get().value(), sources));
        }
        List<CloneManifests.Source> resolved = new ArrayList<>();
        for (CloneSource source : sources) {
            resolved.add(resolve(source));
        }
        Manifest initial;
        CloneManifests.Source walSource;
        if (resolved.size() == 1) {
            if (sources.get(0).isProjected()) {
                checkNoWalData(resolved.get(0));
            }
            initial = CloneManifests.single(resolved.get(0));
            walSource = resolved.get(0);
        } else {
            resolved.forEach(this::checkNoWalData);
            initial = CloneManifests.union(resolved);
            walSource = null;
        }
        try {
            Futures.join(clone.create(1, initial));
        } catch (ObjectVersionExistsException e) {
            // Another process created the clone first: validate and finish its attempt instead.
            return create(sources);
        }
        return finish(initial, walSource);
    }

    private Versioned<Manifest> finish(Manifest stored, CloneManifests.Source walSource) {
        for (ExternalDb external : stored.externalDbs()) {
            pins.ensure(clonePath, external);
        }
        long replayAfter = 0;
        long nextWal = 1;
        if (walSource != null) {
            replayAfter = walSource.manifest().core().replayAfterWalId();
            nextWal = walSource.manifest().core().nextWalSstId();
            copyWal(walSource.path(), replayAfter, nextWal);
        }
        StoredObject<Manifest> clone = Futures.join(StoredObject.load(manifests(clonePath), "manifest"));
        Manifest current = clone.current().value();
        if (current.core().initialized()) {
            return clone.current(); // a concurrent rerun finished first
        }
        Manifest done = current.withCore(current.core().toBuilder()
                .replayAfterWalId(replayAfter)
                .nextWalSstId(nextWal)
                .initialized(true)
                .build());
        try {
            return Futures.join(clone.update(done));
        } catch (ObjectVersionExistsException e) {
            throw new SlateDbException(ErrorKind.DATA, "the manifest of clone " + clonePath
                    + " changed while the clone was being finished; run the clone creation again", e);
        }
    }

    /** Copies the WAL SSTs in {@code (replayAfter, nextWal)} of the source into the clone, keeping their ids. */
    private void copyWal(String sourcePath, long replayAfter, long nextWal) {
        ObjectStore wal = walStore == null ? store : walStore;
        DbLayout from = DbLayout.of(sourcePath);
        DbLayout to = DbLayout.of(clonePath);
        for (long id = replayAfter + 1; Long.compareUnsigned(id, nextWal) < 0; id++) {
            try {
                Futures.join(wal.copy(from.walSstPath(id), to.walSstPath(id)));
            } catch (ObjectNotFoundException e) {
                throw new SlateDbException(ErrorKind.UNAVAILABLE, "WAL SST " + from.walSstPath(id)
                        + ", which the source checkpoint references, is missing in " + wal.describe(), e);
            }
        }
    }

    /** Loads a source, checks it can be cloned, and takes (or finds) the checkpoint the clone starts from. */
    private CloneManifests.Source resolve(CloneSource source) {
        String path = DbLayout.of(source.path()).root();
        SequencedObjectStore<Manifest> manifests = manifests(path);
        Versioned<Manifest> latest = Futures.join(manifests.readLatest()).orElseThrow(() -> new SlateDbException(
                ErrorKind.INVALID, "clone source " + path + " does not exist: it has no manifest in " + store.describe()));
        if (!latest.value().core().initialized()) {
            throw new SlateDbException(ErrorKind.INVALID, "clone source " + path
                    + " is not initialized (an unfinished clone); finish creating it first");
        }
        if (latest.value().core().walObjectStoreUri() != null && walStore == null) {
            throw new SlateDbException(ErrorKind.INVALID, "clone source " + path + " keeps its WAL in a separate"
                    + " object store; give that store (CloneOptions.withWalStore) to clone it");
        }
        if (latest.value().core().isSegmented()) {
            throw new SlateDbException(ErrorKind.INVALID, "clone source " + path + " is segmented; cloning"
                    + " segmented databases is not supported");
        }
        Checkpoint checkpoint;
        if (source.checkpointId() != null) {
            checkpoint = Checkpoints.find(latest.value(), source.checkpointId()).orElseThrow(() ->
                    new SlateDbException(ErrorKind.INVALID, "clone source " + path + " has no checkpoint "
                            + source.checkpointId()));
        } else {
            UUID id = UUID.randomUUID();
            StoredObject<Manifest> stored = Futures.join(StoredObject.load(manifests, "manifest"));
            Versioned<Manifest> written = Futures.join(stored.maybeApplyUpdate(Checkpoints.creating(id,
                    new CheckpointOptions(EPHEMERAL_CHECKPOINT_LIFETIME, null, null), clock)));
            checkpoint = Checkpoints.find(written.value(), id).orElseThrow();
        }
        Manifest pinned = Futures.join(manifests.read(checkpoint.manifestId())).orElseThrow(() ->
                new SlateDbException(ErrorKind.DATA, "checkpoint " + checkpoint.id() + " of " + path
                        + " pins manifest " + manifests.path(checkpoint.manifestId()) + ", which is missing"))
                .value();
        return new CloneManifests.Source(path, checkpoint.id(), pinned,
                KeyRange.halfOpen(source.projectionStart(), source.projectionEnd()));
    }

    /**
     * Sources of a union or projection must hold all their data in SSTs: WAL rows cannot be clipped to a
     * key range or merged. Empty fence objects are fine.
     */
    private void checkNoWalData(CloneManifests.Source source) {
        ObjectStore wal = walStore == null ? store : walStore;
        DbLayout layout = DbLayout.of(source.path());
        long next = source.manifest().core().nextWalSstId();
        for (long id = source.manifest().core().replayAfterWalId() + 1; Long.compareUnsigned(id, next) < 0; id++) {
            // A writer's fence is a WAL file without rows (an empty SST, or zero bytes from SlateDB 0.13+):
            // only rows are data the clone would lose.
            Optional<WalFile> file = Futures.join(WalObjects.read(wal, layout, id));
            if (file.isPresent() && !file.get().rows().isEmpty()) {
                throw new SlateDbException(ErrorKind.INVALID, "clone source " + source.path() + " has data in WAL SST "
                        + layout.walSstPath(id) + " not yet flushed to L0; a union or projected clone needs"
                        + " sources whose data is all in SSTs (flush them first)");
            }
        }
    }

    /** The source whose WAL an interrupted single-source clone still has to copy; null for a union. */
    private CloneManifests.Source resumedWalSource(Manifest clone, List<CloneSource> sources) {
        if (sources.size() != 1) {
            return null;
        }
        String path = DbLayout.of(sources.get(0).path()).root();
        ExternalDb entry = entryFor(clone, path).orElseThrow();
        SequencedObjectStore<Manifest> manifests = manifests(path);
        Manifest latest = Futures.join(manifests.readLatest()).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                "clone " + clonePath + " cannot be finished: its source " + path + " no longer exists")).value();
        Optional<Checkpoint> checkpoint = entry.finalCheckpointId() == null ? Optional.empty()
                : Checkpoints.find(latest, entry.finalCheckpointId());
        if (checkpoint.isEmpty()) {
            checkpoint = Checkpoints.find(latest, entry.sourceCheckpointId());
        }
        Checkpoint found = checkpoint.orElseThrow(() -> new SlateDbException(ErrorKind.DATA, "clone " + clonePath
                + " cannot be finished: neither its pin checkpoint nor its source checkpoint "
                + entry.sourceCheckpointId() + " exists in " + path + " any more (a short-lived source checkpoint"
                + " expires after 5 minutes); delete the clone and create it again, from an explicit checkpoint"));
        Manifest pinned = Futures.join(manifests.read(found.manifestId())).orElseThrow(() -> new SlateDbException(
                ErrorKind.DATA, "manifest " + manifests.path(found.manifestId()) + " pinned by checkpoint "
                + found.id() + " is missing")).value();
        return new CloneManifests.Source(path, entry.sourceCheckpointId(), pinned, KeyRange.all());
    }

    private void validate(List<CloneSource> sources) {
        if (sources.isEmpty()) {
            throw new SlateDbException(ErrorKind.INVALID, "a clone needs at least one source");
        }
        Set<String> seen = new HashSet<>();
        for (CloneSource source : sources) {
            String path = DbLayout.of(source.path()).root();
            if (path.equals(clonePath)) {
                throw new SlateDbException(ErrorKind.INVALID, "the clone path " + clonePath
                        + " is the path of its source; a clone needs a path of its own");
            }
            if (!seen.add(path)) {
                throw new SlateDbException(ErrorKind.INVALID, "clone source " + path + " is given twice");
            }
        }
    }

    /** An existing clone must have been made from these sources (and checkpoints, when given). */
    private void checkAttached(Manifest clone, List<CloneSource> sources) {
        for (CloneSource source : sources) {
            String path = DbLayout.of(source.path()).root();
            ExternalDb entry = entryFor(clone, path).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                    "a database already exists at " + clonePath + " and is not a clone of " + path));
            if (source.checkpointId() != null && !source.checkpointId().equals(entry.sourceCheckpointId())) {
                throw new SlateDbException(ErrorKind.DATA, "clone " + clonePath + " was made from checkpoint "
                        + entry.sourceCheckpointId() + " of " + path + ", not from " + source.checkpointId());
            }
        }
    }

    private void checkPinsExist(Manifest clone) {
        for (ExternalDb external : clone.externalDbs()) {
            if (external.finalCheckpointId() != null && !pins.exists(external)) {
                throw new SlateDbException(ErrorKind.DATA, "clone " + clonePath + " lacks its pin checkpoint "
                        + external.finalCheckpointId() + " in " + external.path());
            }
        }
    }

    private static Optional<ExternalDb> entryFor(Manifest clone, String path) {
        // The direct source is the last entry for its path: inherited entries of a nested clone come first.
        ExternalDb found = null;
        for (ExternalDb db : clone.externalDbs()) {
            if (DbLayout.of(db.path()).root().equals(path)) {
                found = db;
            }
        }
        return Optional.ofNullable(found);
    }

    private SequencedObjectStore<Manifest> manifests(String path) {
        return ManifestStore.sequence(store, DbLayout.of(path), boundaryFiles);
    }
}
