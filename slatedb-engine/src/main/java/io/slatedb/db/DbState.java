package io.slatedb.db;

import io.slatedb.manifest.Manifest;
import io.slatedb.memtable.ImmutableMemtable;
import io.slatedb.memtable.Memtable;
import io.slatedb.memtable.MemtableView;
import io.slatedb.reader.ReadView;
import io.slatedb.reader.TableStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the writer holds in memory: the mutable memtable, the frozen ones not yet in L0, and the
 * manifest it last wrote or read, published together as one immutable {@link View}. Reads take the
 * current view and never see a half-made change: a memtable leaves the view in the same step that
 * its L0 SST enters it. Changes are serialized here; the mutable memtable itself is filled by the
 * write path under its own lock.
 */
final class DbState {

    /**
     * One consistent state.
     *
     * @param reads      what reads look at, in precedence order
     * @param manifest   the manifest the tree comes from
     * @param active     the mutable memtable
     * @param immutables the frozen memtables not yet published to L0, newest first
     */
    record View(ReadView reads, Manifest manifest, Memtable active, List<ImmutableMemtable> immutables) {
    }

    private final TableStore tables;
    private volatile View view;
    /** The id of the stored manifest the current one was read from or written as, named in SST errors. */
    private volatile long manifestId;

    DbState(TableStore tables, long manifestId, Manifest manifest, Memtable active,
            List<ImmutableMemtable> immutablesNewestFirst) {
        this.tables = tables;
        this.manifestId = manifestId;
        this.view = viewOf(manifest, active, List.copyOf(immutablesNewestFirst));
    }

    View view() {
        return view;
    }

    Manifest manifest() {
        return view.manifest();
    }

    /** Freezes the mutable memtable (tagged with {@code lastWalId}) and starts a new one. */
    synchronized ImmutableMemtable freezeActive(long lastWalId) {
        View current = view;
        ImmutableMemtable frozen = current.active().freeze(lastWalId);
        List<ImmutableMemtable> immutables = new ArrayList<>(current.immutables().size() + 1);
        immutables.add(frozen);
        immutables.addAll(current.immutables());
        view = viewOf(current.manifest(), new Memtable(), immutables);
        return frozen;
    }

    /** The manifest now lists the L0 SSTs of {@code flushed}: they leave memory in the same step. */
    synchronized void published(Set<ImmutableMemtable> flushed, long id, Manifest manifest) {
        manifestId = id;
        View current = view;
        List<ImmutableMemtable> remaining = current.immutables().stream().filter(m -> !flushed.contains(m)).toList();
        view = viewOf(manifest, current.active(), remaining);
    }

    /** Takes a manifest re-read from the store (merged with the writer's own fields). */
    synchronized void adopt(long id, Manifest manifest) {
        manifestId = id;
        View current = view;
        if (!manifest.equals(current.manifest())) {
            view = viewOf(manifest, current.active(), current.immutables());
        }
    }

    private View viewOf(Manifest manifest, Memtable active, List<ImmutableMemtable> immutables) {
        List<MemtableView> memtables = new ArrayList<>(immutables.size() + 1);
        memtables.add(active);
        memtables.addAll(immutables);
        ReadView reads = ReadView.of(memtables, manifest.core().tree(), tables.paths(manifest.externalDbs()),
                tables.manifestPath(manifestId));
        return new View(reads, manifest, active, List.copyOf(immutables));
    }
}
