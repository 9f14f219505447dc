package io.slatedb.gc;

import io.slatedb.GarbageCollectorTaskResult;
import io.slatedb.GarbageCollectorTask;
import io.slatedb.GarbageCollectorResult;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.metadata.SequencedObjectStore;
import io.slatedb.util.Futures;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the collection tasks of one database, one at a time: each run first removes expired
 * checkpoints from the manifest, then collects its kind of object. Thread-safe (runs are serialised).
 */
public final class Collector {
    private final GcContext context;
    private final ReentrantLock runLock = new ReentrantLock();

    public Collector(GcContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    public GcContext context() {
        return context;
    }

    /** The options of {@code task}, or null when the task is disabled. */
    public static GarbageCollectorDirectoryOptions optionsOf(GarbageCollectorTask task,
                                                              GarbageCollectorOptions options) {
        return switch (task) {
            case MANIFEST -> options.manifestOptions();
            case WAL -> options.walOptions();
            case WAL_FENCE -> options.walFenceOptions();
            case COMPACTED -> options.compactedOptions();
            case COMPACTIONS -> options.compactionsOptions();
            // Detaching has no age rule: it runs on the schedule, and a dry run only reports.
            case DETACH -> options.detachOptions() == null ? null
                    : new GarbageCollectorDirectoryOptions(options.detachOptions().interval(), Duration.ZERO, false);
        };
    }

    /**
     * Runs every enabled task once, in the order of {@link GarbageCollectorTask}.
     *
     * @param dryRun true: delete nothing and change no manifest, only report; false: each task deletes
     *               unless its own options make it a dry run
     */
    public GarbageCollectorResult runAll(boolean dryRun) {
        Map<GarbageCollectorTask, GarbageCollectorTaskResult> results = new LinkedHashMap<>();
        List<UUID> expired = new ArrayList<>();
        for (GarbageCollectorTask task : GarbageCollectorTask.values()) {
            if (optionsOf(task, context.options()) == null) {
                continue;
            }
            Run run = run(task, dryRun);
            run.expiredCheckpoints().stream().filter(id -> !expired.contains(id)).forEach(expired::add);
            results.put(task, run.result());
        }
        return new GarbageCollectorResult(dryRun, expired, results);
    }

    /** A task's result and the expired checkpoints removed (or, dry, found) before it ran. */
    public record Run(GarbageCollectorTaskResult result, List<UUID> expiredCheckpoints) {
    }

    /**
     * Runs one task: removes expired checkpoints (unless {@code dryRun}), then collects.
     *
     * @throws IllegalStateException when the task is disabled
     */
    public Run run(GarbageCollectorTask task, boolean dryRun) {
        GarbageCollectorDirectoryOptions options = optionsOf(task, context.options());
        if (options == null) {
            throw new IllegalStateException("the " + task + " task is disabled");
        }
        boolean dry = dryRun || options.dryRun();
        runLock.lock();
        try {
            Instant now = context.clock().instant();
            List<UUID> expired = ExpiredCheckpoints.remove(context, now, dryRun);
            List<String> paths = switch (task) {
                case MANIFEST -> {
                    LiveState live = LiveState.load(context.manifests(), now);
                    // A real run has just written a manifest without the expired checkpoints, which made
                    // the one read here collectable; a dry run reports it likewise.
                    long latestId = dryRun && !expired.isEmpty() ? live.latestId() + 1 : live.latestId();
                    yield SequencedGc.collect(context.manifests(), context.manifestBoundary(), latestId,
                            live.pinnedManifestIds(), options, now, dry);
                }
                case COMPACTIONS -> {
                    List<SequencedObjectStore.Listed> listed = Futures.join(context.compactions().listIds());
                    if (listed.isEmpty()) {
                        yield List.of();
                    }
                    long latest = listed.get(listed.size() - 1).id();
                    yield SequencedGc.collect(context.compactions(), context.compactionsBoundary(), latest,
                            Set.of(), options, now, dry);
                }
                case WAL, WAL_FENCE -> WalGc.collect(context, LiveState.load(context.manifests(), now),
                        task == GarbageCollectorTask.WAL_FENCE, options, now, dry);
                case COMPACTED -> {
                    long watermark = CompactedGc.compactionsWatermark(context); // before the manifests
                    yield CompactedGc.collect(context, watermark, LiveState.load(context.manifests(), now),
                            options, now, dry);
                }
                case DETACH -> DetachGc.collect(context, LiveState.load(context.manifests(), now), dry);
            };
            return new Run(new GarbageCollectorTaskResult(task, dry, paths), expired);
        } finally {
            runLock.unlock();
        }
    }
}
