package io.slatedb.gc;

import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.metadata.StoredObject;
import io.slatedb.util.Futures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Removes expired checkpoints from the manifest, as SlateDB's collector does before each task. The
 * change is applied to the latest manifest with {@link StoredObject#maybeApplyUpdate}, so whatever
 * other processes (writer, compactor, readers) changed in the meantime is kept, and a lost race is
 * simply re-applied on the newer version.
 */
final class ExpiredCheckpoints {
    private ExpiredCheckpoints() {
    }

    /** The ids of the checkpoints in {@code manifest} that have expired at {@code now}. */
    static List<UUID> expiredIn(Manifest manifest, Instant now) {
        List<UUID> expired = new ArrayList<>();
        for (Checkpoint checkpoint : manifest.core().checkpoints()) {
            if (checkpoint.isExpiredAt(now)) {
                expired.add(checkpoint.id());
            }
        }
        return expired;
    }

    /**
     * Removes every checkpoint expired at {@code now} from the latest manifest, or with
     * {@code dryRun} only says which it would remove.
     *
     * @return the ids of the checkpoints removed (or that would be)
     */
    static List<UUID> remove(GcContext context, Instant now, boolean dryRun) {
        if (dryRun) {
            return Futures.join(context.manifests().readLatest())
                    .map(latest -> expiredIn(latest.value(), now))
                    .orElse(List.of());
        }
        StoredObject<Manifest> manifest = Futures.join(StoredObject.load(context.manifests(), "manifest"));
        AtomicReference<List<UUID>> removed = new AtomicReference<>(List.of());
        Futures.join(manifest.maybeApplyUpdate(latest -> {
            List<Checkpoint> kept = new ArrayList<>();
            List<UUID> expired = new ArrayList<>();
            for (Checkpoint checkpoint : latest.value().core().checkpoints()) {
                if (checkpoint.isExpiredAt(now)) {
                    expired.add(checkpoint.id());
                } else {
                    kept.add(checkpoint);
                }
            }
            removed.set(expired);
            if (expired.isEmpty()) {
                return Optional.empty();
            }
            Manifest value = latest.value();
            return Optional.of(value.withCore(value.core().toBuilder().checkpoints(kept).build()));
        }));
        return removed.get();
    }
}
