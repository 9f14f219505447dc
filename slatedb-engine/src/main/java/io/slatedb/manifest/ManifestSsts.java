package io.slatedb.manifest;

import io.slatedb.format.Ulid;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every physical SST a manifest's trees reference (L0 and sorted runs, of the unsegmented tree and of
 * each segment), each once by id however many views share it. A clone's trees also name the SSTs it
 * reads from its sources, so those are included.
 */
public final class ManifestSsts {
    private final Map<Ulid, CompactedSst> ssts;

    private ManifestSsts(Map<Ulid, CompactedSst> ssts) {
        this.ssts = ssts;
    }

    /** The SSTs {@code manifest} references. */
    public static ManifestSsts of(Manifest manifest) {
        Map<Ulid, CompactedSst> ssts = new LinkedHashMap<>();
        List<LsmTree> trees = new ArrayList<>();
        trees.add(manifest.core().tree());
        manifest.core().segments().forEach(segment -> trees.add(segment.tree()));
        for (LsmTree tree : trees) {
            tree.l0().forEach(view -> ssts.putIfAbsent(view.sst().id(), view.sst()));
            tree.compacted().forEach(run -> run.ssts().forEach(view -> ssts.putIfAbsent(view.sst().id(), view.sst())));
        }
        return new ManifestSsts(ssts);
    }

    /** The SSTs, in tree order. */
    public Collection<CompactedSst> all() {
        return ssts.values();
    }

    /** These SSTs without those {@code older} also references. */
    public ManifestSsts without(ManifestSsts older) {
        Map<Ulid, CompactedSst> kept = new LinkedHashMap<>(ssts);
        kept.keySet().removeAll(older.ssts.keySet());
        return new ManifestSsts(kept);
    }

    /** How many SSTs. */
    public int count() {
        return ssts.size();
    }

    /** Their bytes as the manifest records them ({@link io.slatedb.sst.SstInfo#blocksEnd()} each). */
    public long bytes() {
        long total = 0;
        for (CompactedSst sst : ssts.values()) {
            total += sst.info().blocksEnd();
        }
        return total;
    }
}
