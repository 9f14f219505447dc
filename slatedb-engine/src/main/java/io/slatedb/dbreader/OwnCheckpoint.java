package io.slatedb.dbreader;

import io.slatedb.CheckpointOptions;
import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.metadata.StoredObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.util.Futures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The checkpoint a managed reader owns: created in the latest manifest (pinning the manifest that adds
 * it), replaced by one on a newer manifest in a single manifest write, refreshed once half its lifetime
 * has passed, and deleted on close. Each change is a compare-and-swap on the latest manifest that keeps
 * whatever other processes wrote. Used by the reader's poller only.
 */
final class OwnCheckpoint {
    private final StoredObject<Manifest> manifests;
    private final Duration lifetime;
    private final Clock clock;
    private Checkpoint current;

    OwnCheckpoint(StoredObject<Manifest> manifests, Duration lifetime, Clock clock) {
        this.manifests = manifests;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** The checkpoint the reader holds now, or null before the first one and after {@link #delete()}. */
    Checkpoint current() {
        return current;
    }

    /**
     * Creates a new checkpoint on top of the latest manifest and, in the same write, removes the old one
     * (if any). Returns the manifest the new checkpoint pins, which is the one written.
     */
    Versioned<Manifest> replace() {
        UUID id = UUID.randomUUID();
        CheckpointOptions options = new CheckpointOptions(lifetime, null, null);
        Checkpoint previous = current;
        Versioned<Manifest> written = Futures.join(manifests.maybeApplyUpdate(latest -> {
            Manifest base = previous == null ? latest.value()
                    : Checkpoints.deleted(latest.value(), previous.id()).orElse(latest.value());
            Checkpoint added = Checkpoints.newCheckpoint(latest, id, options, clock.instant());
            return Optional.of(Checkpoints.withCheckpoint(base, added));
        }));
        current = Checkpoints.find(written.value(), id).orElseThrow();
        return written;
    }

    /** Whether the checkpoint is in {@code manifest}. */
    boolean isIn(Manifest manifest) {
        return current != null && Checkpoints.find(manifest, current.id()).isPresent();
    }

    /**
     * Pushes the expiry to now + lifetime once less than half the lifetime is left: SlateDB refreshes
     * when {@code now > expire_time - lifetime / 2}.
     *
     * @return whether a refresh was written
     * @throws io.slatedb.SlateDbException of kind DATA when the checkpoint has vanished from the manifest
     */
    boolean refreshIfDue() {
        Instant now = clock.instant();
        Instant due = Instant.ofEpochSecond(current.expireTimeSeconds()).minus(lifetime.dividedBy(2));
        if (!now.isAfter(due)) {
            return false;
        }
        UUID id = current.id();
        Versioned<Manifest> written = Futures.join(manifests.maybeApplyUpdate(Checkpoints.refreshing(id, lifetime,
                clock)));
        current = Checkpoints.find(written.value(), id).orElseThrow();
        return true;
    }

    /** Deletes the checkpoint; nothing to do when it is already gone. */
    void delete() {
        if (current == null) {
            return;
        }
        UUID id = current.id();
        Futures.join(manifests.maybeApplyUpdate(Checkpoints.deleting(id)));
        current = null;
    }
}
