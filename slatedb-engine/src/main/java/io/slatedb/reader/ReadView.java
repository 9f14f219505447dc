package io.slatedb.reader;

import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;
import io.slatedb.memtable.MemtableView;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything a read looks at, in precedence order: memtables (newest first: the writer's mutable one
 * and its immutable ones, or a reader's replayed ones), then the tree's L0 views (newest first), then
 * its sorted runs (by descending id, as the manifest lists them). Immutable; the writer makes a new
 * one when it freezes a memtable or adopts a manifest, and reads use whichever is current when they
 * start. SST paths are resolved here once, not per read.
 */
public final class ReadView {
    private final List<MemtableView> memtables;
    private final LsmTree tree;
    private final List<TableRef> l0;
    private final List<List<TableRef>> runs;
    private final OptionalLong treeLastSeq;

    private ReadView(List<MemtableView> memtables, LsmTree tree, List<TableRef> l0, List<List<TableRef>> runs,
                     OptionalLong treeLastSeq) {
        this.memtables = memtables;
        this.tree = tree;
        this.l0 = l0;
        this.runs = runs;
        this.treeLastSeq = treeLastSeq;
    }

    /**
     * @param memtables the memtables, newest first
     * @param tree      the LSM tree of the manifest
     * @param paths     where the tree's SSTs live (the manifest's external databases included)
     * @param listedBy  the path of the manifest the tree comes from, named in errors; null when unknown
     */
    public static ReadView of(List<? extends MemtableView> memtables, LsmTree tree, SstPaths paths, String listedBy) {
        Objects.requireNonNull(paths, "paths");
        List<TableRef> l0 = resolve(tree.l0(), paths, listedBy);
        List<List<TableRef>> runs = new ArrayList<>(tree.compacted().size());
        for (SortedRun run : tree.compacted()) {
            runs.add(resolve(run.ssts(), paths, listedBy));
        }
        return new ReadView(List.copyOf(memtables), tree, l0, List.copyOf(runs), OptionalLong.empty());
    }

    /** {@link #of(List, LsmTree, SstPaths, String)} from a manifest errors do not name. */
    public static ReadView of(List<? extends MemtableView> memtables, LsmTree tree, SstPaths paths) {
        return of(memtables, tree, paths, null);
    }

    /** A view of memtables only. */
    public static ReadView ofMemtables(List<? extends MemtableView> memtables) {
        return new ReadView(List.copyOf(memtables), LsmTree.empty(), List.of(), List.of(), OptionalLong.empty());
    }

    /**
     * This view, knowing that no row of its tree has a sequence number above {@code seq} (unsigned): the
     * manifest's {@code last_l0_seq}. Scans for changes after a sequence number then skip the tree when
     * it holds none.
     */
    public ReadView withTreeLastSeq(long seq) {
        return new ReadView(memtables, tree, l0, runs, OptionalLong.of(seq));
    }

    /** The highest sequence number in the tree, when known (see {@link #withTreeLastSeq}). */
    public OptionalLong treeLastSeq() {
        return treeLastSeq;
    }

    private static List<TableRef> resolve(List<SstView> views, SstPaths paths, String listedBy) {
        List<TableRef> refs = new ArrayList<>(views.size());
        for (SstView view : views) {
            refs.add(new TableRef(view, paths.pathOf(view.sst().id()), listedBy));
        }
        return List.copyOf(refs);
    }

    /** The memtables, newest first. */
    public List<MemtableView> memtables() {
        return memtables;
    }

    public LsmTree tree() {
        return tree;
    }

    List<TableRef> l0() {
        return l0;
    }

    List<List<TableRef>> runs() {
        return runs;
    }

    @Override
    public String toString() {
        return "ReadView[" + memtables.size() + " memtables, " + l0.size() + " L0 SSTs, " + runs.size() + " sorted runs]";
    }
}
