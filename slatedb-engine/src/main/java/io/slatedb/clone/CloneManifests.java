package io.slatedb.clone;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.ManifestMerge;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.KeyRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The first manifest of a clone, as a pure function of its sources' checkpointed manifests (SlateDB's
 * {@code Manifest::cloned} and its union and projection variants). The clone starts uninitialized and
 * without checkpoints; every SST it lists stays in the database that owns it, named in
 * {@code external_dbs} together with a fresh id for the pin checkpoint that keeps it alive there.
 */
public final class CloneManifests {
    private CloneManifests() {
    }

    /**
     * A source as the clone sees it.
     *
     * @param path               the source's root path
     * @param checkpointId       the source checkpoint the clone is made from
     * @param manifest           the manifest that checkpoint pins
     * @param projection         the keys the clone sees of the source; {@link KeyRange#all()} for every key
     */
    public record Source(String path, UUID checkpointId, Manifest manifest, KeyRange projection) {
    }

    /**
     * A clone of one source: the source's state (LSM tree, WAL position, watermarks, epochs) with
     * {@code initialized = false} and no checkpoints, its views clipped to the projection.
     */
    public static Manifest single(Source source) {
        Manifest parent = source.manifest();
        ManifestCore core = parent.core().toBuilder()
                .initialized(false)
                .checkpoints(List.of())
                .tree(project(parent.core().tree(), source.projection()))
                .build();
        Manifest cloned = new Manifest(externalDbs(source), core, parent.writerEpoch(), parent.compactorEpoch());
        return ManifestMerge.pruneExternalSstIds(cloned);
    }

    /**
     * A clone of several sources whose visible keys do not overlap: their L0 SSTs and sorted runs side
     * by side (run ids renumbered so they stay unique), an empty WAL (sources of a union hold no WAL
     * data), the highest of their sequence numbers, clock ticks and epochs.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} when two sources' visible keys overlap
     */
    public static Manifest union(List<Source> sources) {
        checkDisjoint(sources);
        List<SstView> l0 = new ArrayList<>();
        List<SortedRun> runs = new ArrayList<>();
        List<ExternalDb> externals = new ArrayList<>();
        long tick = Long.MIN_VALUE;
        long seq = 0;
        long writerEpoch = 0;
        long compactorEpoch = 0;
        for (Source source : sources) {
            LsmTree tree = project(source.manifest().core().tree(), source.projection());
            l0.addAll(tree.l0());
            runs.addAll(tree.compacted());
            externals.addAll(externalDbs(source));
            ManifestCore core = source.manifest().core();
            tick = Math.max(tick, core.lastL0ClockTick());
            seq = Math.max(seq, core.lastL0Seq());
            writerEpoch = Math.max(writerEpoch, source.manifest().writerEpoch());
            compactorEpoch = Math.max(compactorEpoch, source.manifest().compactorEpoch());
        }
        // Precedence between disjoint ranges does not matter, but run ids must stay unique.
        List<SortedRun> renumbered = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            renumbered.add(new SortedRun(runs.size() - 1 - i, runs.get(i).ssts()));
        }
        ManifestCore core = ManifestCore.initial().toBuilder()
                .initialized(false)
                .tree(new LsmTree(null, null, l0, renumbered))
                .lastL0ClockTick(tick)
                .lastL0Seq(seq)
                .recentSnapshotMinSeq(seq)
                .build();
        return ManifestMerge.pruneExternalSstIds(new Manifest(externals, core, writerEpoch, compactorEpoch));
    }

    /**
     * The SST ids of {@code manifest}'s trees that the database owns itself: every referenced SST not
     * attributed to one of its external databases.
     */
    public static Set<Ulid> ownedSsts(Manifest manifest) {
        Set<Ulid> owned = new HashSet<>(manifest.core().tree().sstIds());
        manifest.core().segments().forEach(segment -> owned.addAll(segment.tree().sstIds()));
        manifest.externalDbs().forEach(db -> db.sstIds().forEach(owned::remove));
        return owned;
    }

    /**
     * The clone's external databases for one source: the source's own ones it still reads from (a
     * nested clone reads the oldest SSTs from their original path, pinned again from the source's pin)
     * and the source itself.
     */
    private static List<ExternalDb> externalDbs(Source source) {
        List<ExternalDb> result = new ArrayList<>();
        for (ExternalDb inherited : source.manifest().externalDbs()) {
            // An entry with nothing left to read is only waiting for the source's detach task, which may
            // delete its pin at any moment; a pin derived from it could not be made.
            if (inherited.sstIds().isEmpty()) {
                continue;
            }
            if (inherited.finalCheckpointId() == null) {
                throw new SlateDbException(ErrorKind.DATA, "clone source " + source.path() + " reads from "
                        + inherited.path() + " without a pin checkpoint there, so a clone cannot pin it");
            }
            result.add(new ExternalDb(inherited.path(), inherited.finalCheckpointId(), UUID.randomUUID(),
                    inherited.sstIds()));
        }
        List<Ulid> owned = ownedSsts(source.manifest()).stream().sorted().toList();
        result.add(new ExternalDb(source.path(), source.checkpointId(), UUID.randomUUID(), owned));
        return result;
    }

    /** {@code tree} with every view clipped to {@code range}; views (and runs) left with no key are dropped. */
    static LsmTree project(LsmTree tree, KeyRange range) {
        if (range.start() == null && range.end() == null) {
            return tree;
        }
        List<SstView> l0 = new ArrayList<>();
        for (SstView view : tree.l0()) {
            clip(view, range).ifPresent(l0::add);
        }
        List<SortedRun> runs = new ArrayList<>();
        for (SortedRun run : tree.compacted()) {
            List<SstView> kept = new ArrayList<>();
            run.ssts().forEach(view -> clip(view, range).ifPresent(kept::add));
            if (!kept.isEmpty()) {
                runs.add(new SortedRun(run.id(), kept));
            }
        }
        return new LsmTree(tree.lastCompactedL0ViewId(), tree.lastCompactedL0SstId(), l0, runs);
    }

    private static Optional<SstView> clip(SstView view, KeyRange range) {
        KeyRange visible = view.visibleRange() == null ? KeyRange.all() : fromManifest(view.visibleRange());
        KeyRange clipped = visible.intersect(range);
        if (physical(view).intersect(clipped).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SstView(view.id(), view.sst(), toManifest(clipped)));
    }

    private static void checkDisjoint(List<Source> sources) {
        List<KeyRange> spans = new ArrayList<>();
        for (Source source : sources) {
            spans.add(span(project(source.manifest().core().tree(), source.projection()), source.projection()));
        }
        for (int i = 0; i < spans.size(); i++) {
            for (int j = i + 1; j < spans.size(); j++) {
                if (spans.get(i) != null && spans.get(j) != null && !spans.get(i).intersect(spans.get(j)).isEmpty()) {
                    throw new SlateDbException(ErrorKind.INVALID, "the keys of union sources "
                            + sources.get(i).path() + " and " + sources.get(j).path()
                            + " overlap; a union needs disjoint ranges (project the sources apart)");
                }
            }
        }
    }

    /** The keys a projected tree can show, or null when it has no SST. */
    private static KeyRange span(LsmTree tree, KeyRange projection) {
        KeyRange span = null;
        List<SstView> views = new ArrayList<>(tree.l0());
        tree.compacted().forEach(run -> views.addAll(run.ssts()));
        for (SstView view : views) {
            KeyRange one = physical(view);
            if (span == null) {
                span = one;
            } else {
                byte[] start = Arrays.compareUnsigned(one.start(), span.start()) < 0 ? one.start() : span.start();
                // An SST written without its last key is open above.
                byte[] end = one.end() == null || span.end() == null ? null
                        : Arrays.compareUnsigned(one.end(), span.end()) > 0 ? one.end() : span.end();
                span = KeyRange.closed(start, end);
            }
        }
        return span == null ? null : span.intersect(projection);
    }

    private static KeyRange physical(SstView view) {
        return KeyRange.closed(view.sst().info().firstEntry(), view.sst().info().lastEntry());
    }

    /** A manifest range as a read-path range. */
    static KeyRange fromManifest(io.slatedb.manifest.KeyRange range) {
        KeyBound start = range.start();
        KeyBound end = range.end();
        return new KeyRange(start.key(), start.kind() == KeyBound.Kind.INCLUDED,
                end.key(), end.kind() == KeyBound.Kind.INCLUDED);
    }

    private static io.slatedb.manifest.KeyRange toManifest(KeyRange range) {
        KeyBound start = range.start() == null ? KeyBound.unbounded()
                : new KeyBound(range.startInclusive() ? KeyBound.Kind.INCLUDED : KeyBound.Kind.EXCLUDED, range.start());
        KeyBound end = range.end() == null ? KeyBound.unbounded()
                : new KeyBound(range.endInclusive() ? KeyBound.Kind.INCLUDED : KeyBound.Kind.EXCLUDED, range.end());
        return new io.slatedb.manifest.KeyRange(start, end);
    }
}
