package io.slatedb;

import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.KeyRange;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.Segment;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.SstInfo;

/** The one place the internal manifest model becomes the public {@link ManifestView}. */
final class ManifestViews {

    private ManifestViews() {
    }

    static ManifestView of(Manifest manifest) {
        ManifestCore core = manifest.core();
        return new ManifestView(manifest.writerEpoch(), manifest.compactorEpoch(), core.initialized(),
                core.nextWalSstId(), core.replayAfterWalId(), core.lastL0ClockTick(), core.lastL0Seq(),
                core.recentSnapshotMinSeq(), core.sequenceTracker(), core.walObjectStoreUri(),
                core.segmentExtractorName(), tree(core.tree()),
                core.segments().stream().map(ManifestViews::segment).toList(),
                core.checkpoints().stream().map(ManifestViews::checkpoint).toList(),
                manifest.externalDbs().stream().map(ManifestViews::externalDb).toList());
    }

    private static ManifestView.Segment segment(Segment segment) {
        return new ManifestView.Segment(segment.prefix(), tree(segment.tree()));
    }

    private static ManifestView.Tree tree(LsmTree tree) {
        return new ManifestView.Tree(text(tree.lastCompactedL0ViewId()), text(tree.lastCompactedL0SstId()),
                tree.l0().stream().map(ManifestViews::view).toList(),
                tree.compacted().stream().map(ManifestViews::run).toList());
    }

    private static ManifestView.SortedRun run(SortedRun run) {
        return new ManifestView.SortedRun(run.id(), run.ssts().stream().map(ManifestViews::view).toList());
    }

    private static ManifestView.SstView view(SstView view) {
        KeyRange range = view.visibleRange();
        return new ManifestView.SstView(view.id().toString(), sst(view.sst()),
                range == null ? null : new ManifestView.KeyRange(bound(range.start()), bound(range.end())));
    }

    private static ManifestView.KeyBound bound(KeyBound bound) {
        return new ManifestView.KeyBound(ManifestView.KeyBound.Kind.valueOf(bound.kind().name()), bound.key());
    }

    private static ManifestView.Sst sst(CompactedSst sst) {
        SstInfo info = sst.info();
        return new ManifestView.Sst(sst.id().toString(), sst.id().timestampMillis(), sst.formatVersion(),
                info.estimatedSize(), info.firstEntry(), info.lastEntry(), info.indexOffset(), info.indexLength(),
                info.filterOffset(), info.filterLength(), info.filterFormat().name(), info.statsOffset(),
                info.statsLength(), info.compression(), info.type().name());
    }

    private static ManifestView.StoredCheckpoint checkpoint(Checkpoint checkpoint) {
        return new ManifestView.StoredCheckpoint(Checkpoints.info(checkpoint), checkpoint.createTimeSeconds(),
                checkpoint.expireTimeSeconds(), checkpoint.writerEpoch());
    }

    private static ManifestView.ExternalDb externalDb(ExternalDb db) {
        return new ManifestView.ExternalDb(db.path(), db.sourceCheckpointId(), db.finalCheckpointId(),
                db.sstIds().stream().map(Ulid::toString).toList());
    }

    private static String text(Ulid ulid) {
        return ulid == null ? null : ulid.toString();
    }
}
