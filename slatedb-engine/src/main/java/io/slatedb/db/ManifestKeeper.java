package io.slatedb.db;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.ManifestMerge;
import io.slatedb.manifest.SstView;
import io.slatedb.memtable.ImmutableMemtable;
import io.slatedb.metadata.FenceableObject;
import io.slatedb.metadata.Versioned;
import io.slatedb.util.SerialExecutor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The writer's side of the manifest: publishing flushed L0 SSTs, re-reading the manifest to notice
 * fencing and the compactor's work, and recording the WAL position at close. Every update is a
 * compare-and-swap on the fenced manifest that, after a lost race, re-reads the stored manifest and
 * merges the writer's own fields into it (SlateDB's merge rules); a newer writer epoch fails it as
 * fenced. Updates run one at a time, in submission order. The writer's updates (L0 publishes and
 * checkpoint changes) also drop checkpoints that have expired by the clock.
 */
final class ManifestKeeper {

    /** One memtable written as an L0 SST, ready to be listed in the manifest. */
    record FlushedMemtable(ImmutableMemtable memtable, SstView view, long maxCreateTs) {
    }

    private final FenceableObject<Manifest> manifest;
    private final DbState state;
    private final Clock clock;
    private final SerialExecutor serial = new SerialExecutor();

    ManifestKeeper(FenceableObject<Manifest> manifest, DbState state, Clock clock) {
        this.manifest = manifest;
        this.state = state;
        this.clock = clock;
    }

    /** The writer epoch this writer holds. */
    long writerEpoch() {
        return manifest.epoch();
    }

    /**
     * Lists {@code flushed} (oldest first, in flush order) in L0 and moves the replay point, the last
     * L0 sequence number and clock tick past them, in one manifest update.
     *
     * @param nextWalSstId the WAL id the writer will write next
     */
    CompletableFuture<Manifest> publish(List<FlushedMemtable> flushed, long nextWalSstId) {
        return serial.submit(() -> manifest.maybeApplyUpdate(latest ->
                        Optional.of(Checkpoints.withoutExpired(ManifestMerge.forWriter(
                                withFlushed(state.manifest(), flushed, nextWalSstId), latest.value()), clock.instant())))
                .thenApply(written -> {
                    Set<ImmutableMemtable> memtables = new HashSet<>();
                    flushed.forEach(f -> memtables.add(f.memtable()));
                    state.published(memtables, written.id(), written.value());
                    return written.value();
                }));
    }

    /** Re-reads the manifest: fails as fenced when a newer writer holds it, else adopts what others changed. */
    CompletableFuture<Manifest> poll() {
        return serial.submit(() -> manifest.refresh().thenApply(latest -> {
            Manifest merged = ManifestMerge.forWriter(state.manifest(), latest.value());
            state.adopt(latest.id(), merged);
            return merged;
        }));
    }

    /** Records {@code nextWalSstId} when the stored manifest is behind it (at close). */
    CompletableFuture<Manifest> recordWalPosition(long nextWalSstId) {
        return serial.submit(() -> manifest.maybeApplyUpdate(latest -> {
            Manifest local = state.manifest();
            if (Long.compareUnsigned(latest.value().core().nextWalSstId(), nextWalSstId) >= 0
                    && Long.compareUnsigned(local.core().nextWalSstId(), nextWalSstId) >= 0) {
                return Optional.empty();
            }
            ManifestCore core = local.core().toBuilder().nextWalSstId(maxUnsigned(local.core().nextWalSstId(),
                    nextWalSstId)).build();
            return Optional.of(ManifestMerge.forWriter(local.withCore(core), latest.value()));
        }).thenApply(written -> {
            // When nothing was written, the version read may predate the writer's own latest fields.
            Manifest merged = ManifestMerge.forWriter(state.manifest(), written.value());
            state.adopt(written.id(), merged);
            return merged;
        }));
    }

    /**
     * Applies a checkpoint change ({@link Checkpoints}' mutators) in the writer's serialized order: to
     * the latest stored manifest merged with the writer's own fields, its WAL position moved up to
     * {@code nextWalSstId}, and without expired checkpoints. The change sees the stored id, so a new
     * checkpoint pins the manifest this update writes. Returns the manifest written, or, when neither
     * the change nor the merge needed a write, the one read.
     *
     * @param nextWalSstId the id after the last WAL file that is durable, so the written manifest's WAL
     *                     range covers every write durable so far
     */
    CompletableFuture<Versioned<Manifest>> updateCheckpoints(Function<Versioned<Manifest>, Optional<Manifest>> change,
                                                            long nextWalSstId) {
        return serial.submit(() -> manifest.maybeApplyUpdate(latest -> {
            Manifest local = state.manifest();
            ManifestCore core = local.core().toBuilder()
                    .nextWalSstId(maxUnsigned(local.core().nextWalSstId(), nextWalSstId)).build();
            Manifest merged = Checkpoints.withoutExpired(ManifestMerge.forWriter(local.withCore(core), latest.value()),
                    clock.instant());
            Optional<Manifest> changed = change.apply(new Versioned<>(latest.id(), merged));
            return changed.isPresent() || merged.equals(latest.value()) ? changed : Optional.of(merged);
        }).thenApply(written -> {
            state.adopt(written.id(), ManifestMerge.forWriter(state.manifest(), written.value()));
            return written;
        }));
    }

    /** Completes once every update submitted so far has finished. */
    CompletableFuture<Void> idle() {
        return serial.idle();
    }

    static Manifest withFlushed(Manifest local, List<FlushedMemtable> flushed, long nextWalSstId) {
        ManifestCore core = local.core();
        // As in SlateDB, last_l0_seq strictly increases with each flushed memtable: a memtable listed out
        // of order would sit above newer data in L0 and make reopening forget sequence numbers.
        long previous = core.lastL0Seq();
        for (FlushedMemtable f : flushed) {
            if (Long.compareUnsigned(f.memtable().lastSeq(), previous) <= 0) {
                throw new SlateDbException(ErrorKind.INTERNAL, "L0 flush out of order: a memtable up to seq "
                        + Long.toUnsignedString(f.memtable().lastSeq()) + " after last_l0_seq "
                        + Long.toUnsignedString(previous));
            }
            previous = f.memtable().lastSeq();
        }
        List<SstView> l0 = new ArrayList<>(core.l0().size() + flushed.size());
        for (int i = flushed.size() - 1; i >= 0; i--) {
            l0.add(flushed.get(i).view()); // newest first
        }
        l0.addAll(core.l0());
        LsmTree tree = core.tree().withL0(l0);
        FlushedMemtable newest = flushed.get(flushed.size() - 1);
        long clockTick = core.lastL0ClockTick();
        for (FlushedMemtable f : flushed) {
            clockTick = Math.max(clockTick, f.maxCreateTs());
        }
        ManifestCore updated = core.toBuilder()
                .tree(tree)
                .replayAfterWalId(maxUnsigned(core.replayAfterWalId(), newest.memtable().lastWalId()))
                .lastL0Seq(newest.memtable().lastSeq())
                // No snapshot holds an older sequence number: compaction may keep only the newest versions.
                .recentSnapshotMinSeq(newest.memtable().lastSeq())
                .lastL0ClockTick(clockTick)
                .nextWalSstId(maxUnsigned(core.nextWalSstId(), nextWalSstId))
                .build();
        return local.withCore(updated);
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
