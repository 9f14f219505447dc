package io.slatedb.gc;

import io.slatedb.clone.ClonePins;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.Manifest;
import io.slatedb.metadata.StoredObject;
import io.slatedb.util.Futures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The detach task of a clone (SlateDB's {@code detach_options}): once neither the latest manifest nor
 * any checkpointed one reads an SST of an external database any more (compaction rewrote them into the
 * clone's own SSTs), the clone deletes its pin checkpoint in that database and then drops the
 * {@code external_dbs} entry. Pin first: a crash in between leaves an entry whose pin is gone, which the
 * next run removes, rather than a pin nobody releases.
 */
final class DetachGc {
    private DetachGc() {
    }

    /**
     * Detaches from every external database the clone no longer reads.
     *
     * @return the root paths of the databases detached from (in a dry run: that would be)
     */
    static List<String> collect(GcContext context, LiveState live, boolean dryRun) {
        List<ExternalDb> unused = new ArrayList<>();
        for (ExternalDb external : live.latest().externalDbs()) {
            if (external.sstIds().isEmpty() && live.checkpointManifests().values().stream()
                    .noneMatch(m -> reads(m, external))) {
                unused.add(external);
            }
        }
        List<String> detached = unused.stream().map(e -> DbLayout.of(e.path()).root()).toList();
        if (dryRun || unused.isEmpty()) {
            return detached;
        }
        ClonePins pins = new ClonePins(context.store(), context.clock(), context.options().boundaryFilesEnabled());
        unused.forEach(pins::release);
        StoredObject<Manifest> manifest = Futures.join(StoredObject.load(context.manifests(), "manifest"));
        Futures.join(manifest.maybeApplyUpdate(latest -> {
            List<ExternalDb> kept = latest.value().externalDbs().stream()
                    .filter(e -> !(e.sstIds().isEmpty() && unused.stream().anyMatch(u -> same(u, e))))
                    .toList();
            return kept.size() == latest.value().externalDbs().size() ? Optional.empty()
                    : Optional.of(latest.value().withExternalDbs(kept));
        }));
        return detached;
    }

    /** Whether {@code manifest} still reads an SST of {@code external}. */
    private static boolean reads(Manifest manifest, ExternalDb external) {
        return manifest.externalDbs().stream().anyMatch(e -> same(e, external) && !e.sstIds().isEmpty());
    }

    private static boolean same(ExternalDb a, ExternalDb b) {
        return a.path().equals(b.path()) && a.sourceCheckpointId().equals(b.sourceCheckpointId())
                && Objects.equals(a.finalCheckpointId(), b.finalCheckpointId());
    }
}
