package io.slatedb.gc;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.checkpoint.WalRetentions;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.Segment;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.metadata.Versioned;
import io.slatedb.util.Futures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the database can still read at one moment: the latest manifest and the manifest of every
 * checkpoint in it that has not expired. Everything these manifests reference is alive; garbage is
 * what none of them references.
 *
 * @param latestId            the latest manifest's id
 * @param latest              the latest manifest
 * @param liveCheckpoints     the latest manifest's checkpoints that have not expired
 * @param checkpointManifests the manifests the live checkpoints pin, by id (the latest included when a
 *                            checkpoint pins it)
 */
public record LiveState(long latestId, Manifest latest, List<Checkpoint> liveCheckpoints,
                        Map<Long, Manifest> checkpointManifests) {

    public LiveState {
        liveCheckpoints = List.copyOf(liveCheckpoints);
        checkpointManifests = Collections.unmodifiableMap(new LinkedHashMap<>(checkpointManifests));
    }

    /**
     * Reads the latest manifest and the manifests its live checkpoints pin.
     *
     * @throws SlateDbException of kind DATA when the database has no manifest, or when a live
     *                          checkpoint's manifest is missing (nothing is then safe to collect)
     */
    public static LiveState load(SequencedObjectStore<Manifest> manifests, Instant now) {
        Versioned<Manifest> latest = Futures.join(manifests.readLatest()).orElseThrow(() ->
                new SlateDbException(ErrorKind.DATA, "no manifest exists at " + manifests.path(1)));
        List<Checkpoint> live = new ArrayList<>();
        Map<Long, Manifest> pinned = new LinkedHashMap<>();
        for (Checkpoint checkpoint : latest.value().core().checkpoints()) {
            if (checkpoint.isExpiredAt(now)) {
                continue;
            }
            live.add(checkpoint);
            long id = checkpoint.manifestId();
            if (pinned.containsKey(id)) {
                continue;
            }
            if (id == latest.id()) {
                pinned.put(id, latest.value());
                continue;
            }
            Optional<Versioned<Manifest>> read = Futures.join(manifests.read(id));
            pinned.put(id, read.orElseThrow(() -> new SlateDbException(ErrorKind.DATA, "checkpoint "
                    + checkpoint.id() + " pins manifest " + manifests.path(id) + ", which is missing"))
                    .value());
        }
        return new LiveState(latest.id(), latest.value(), live, pinned);
    }

    /** The latest manifest and every checkpointed manifest. */
    public List<Manifest> activeManifests() {
        List<Manifest> all = new ArrayList<>(checkpointManifests.size() + 1);
        all.add(latest);
        all.addAll(checkpointManifests.values());
        return all;
    }

    /** The ids of the manifests live checkpoints pin. */
    public Set<Long> pinnedManifestIds() {
        return checkpointManifests.keySet();
    }

    /**
     * Every compacted SST id any active manifest references, in every tree (the unsegmented one and
     * each segment), plus the SST ids clone sources list. The latter belong to other databases and are
     * never in this one's {@code compacted/}; they are kept anyway, as a safeguard.
     */
    public Set<Ulid> activeSstIds() {
        Set<Ulid> ids = new HashSet<>();
        for (Manifest manifest : activeManifests()) {
            ids.addAll(manifest.core().tree().sstIds());
            for (Segment segment : manifest.core().segments()) {
                ids.addAll(segment.tree().sstIds());
            }
            for (ExternalDb external : manifest.externalDbs()) {
                ids.addAll(external.sstIds());
            }
        }
        return ids;
    }

    /**
     * Whether WAL SST {@code walId} may still be replayed: the latest manifest references
     * {@code [replay_after_wal_id, ∞)} (the replay point itself included, as SlateDB keeps it), and a
     * checkpointed manifest {@code M} references {@code (M.replay_after_wal_id, M.next_wal_sst_id)}, and a
     * live WAL retention slot at {@code w} holds {@code [w, ∞)}.
     */
    public boolean walReferenced(long walId) {
        if (Long.compareUnsigned(walId, latest.core().replayAfterWalId()) >= 0) {
            return true;
        }
        OptionalLong held = WalRetentions.lowestHeld(liveCheckpoints);
        if (held.isPresent() && Long.compareUnsigned(walId, held.getAsLong()) >= 0) {
            return true;
        }
        for (Manifest manifest : checkpointManifests.values()) {
            if (Long.compareUnsigned(walId, manifest.core().replayAfterWalId()) > 0
                    && Long.compareUnsigned(walId, manifest.core().nextWalSstId()) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ULID time (ms) below which an SST that is not in the latest manifest cannot be an L0 SST
     * whose manifest update is still in flight: the newest L0 in the latest manifest (every tree), or,
     * with no L0 at all, the compactor's last-compacted L0 marker; 0 (the epoch, so nothing is
     * collected) when the database never had an L0.
     */
    public long newestL0Millis() {
        List<LsmTree> trees = new ArrayList<>();
        trees.add(latest.core().tree());
        latest.core().segments().forEach(segment -> trees.add(segment.tree()));
        long newest = -1;
        for (LsmTree tree : trees) {
            for (var view : tree.l0()) {
                newest = Math.max(newest, view.sst().id().timestampMillis());
            }
        }
        if (newest >= 0) {
            return newest;
        }
        for (LsmTree tree : trees) {
            Ulid marker = tree.lastCompactedL0SstId() != null ? tree.lastCompactedL0SstId()
                    : tree.lastCompactedL0ViewId();
            if (marker != null) {
                newest = Math.max(newest, marker.timestampMillis());
            }
        }
        return Math.max(newest, 0);
    }
}
