package io.slatedb.dbreader;

import io.slatedb.format.Ulid;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.Segment;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;

import java.util.HexFormat;
import java.util.List;

/**
 * The SST layout of a manifest, reduced to ids so two manifests compare equal exactly when reads over
 * them see the same SSTs: per tree (the root and each segment) the L0 view ids, the compactor's last
 * absorbed L0 view, and each sorted run's id and view ids. A change means flushed or compacted data the
 * reader's manifest does not show.
 */
record SstLayoutKey(TreeKey root, List<SegmentKey> segments) {

    record TreeKey(List<Ulid> l0, Ulid lastCompactedL0, List<RunKey> runs) {
    }

    record RunKey(long id, List<Ulid> views) {
    }

    record SegmentKey(String prefixHex, TreeKey tree) {
    }

    static SstLayoutKey of(Manifest manifest) {
        return new SstLayoutKey(tree(manifest.core().tree()), manifest.core().segments().stream()
                .map(SstLayoutKey::segment).toList());
    }

    private static SegmentKey segment(Segment segment) {
        return new SegmentKey(HexFormat.of().formatHex(segment.prefix()), tree(segment.tree()));
    }

    private static TreeKey tree(LsmTree tree) {
        return new TreeKey(ids(tree.l0()), tree.lastCompactedL0ViewId(),
                tree.compacted().stream().map(SstLayoutKey::run).toList());
    }

    private static RunKey run(SortedRun run) {
        return new RunKey(run.id(), ids(run.ssts()));
    }

    private static List<Ulid> ids(List<SstView> views) {
        return views.stream().map(SstView::id).toList();
    }
}
