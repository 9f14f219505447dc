package io.slatedb.gc;

import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.metadata.BoundaryFile;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalFile;
import io.slatedb.wal.WalObjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collection of the {@code wal/} directory: WAL SSTs or fences (the objects a new writer puts to claim
 * the WAL), each kind with its own options. A fence is a zero-byte object (SlateDB 0.13 and later) or an
 * SST without rows (SlateDB 0.12 and this engine, whose fences every version can read); telling the
 * latter from a WAL SST takes a read, done only for small objects the rules would otherwise delete. An
 * object goes when no active manifest or WAL retention slot references its id
 * ({@link LiveState#walReferenced}), it was last modified more than {@code min_age} ago, and it is not
 * the newest WAL object (which writers probe for the WAL's end). An object that cannot be classified is
 * kept. Before deleting, a run publishes the bound it deletes below and re-reads the manifest, so that
 * a WAL retention slot created meanwhile is either honoured or fails (see
 * {@link #recheckedAfterPublishing}).
 */
final class WalGc {
    /** Objects up to this size may be fences written as empty SSTs (one is a few hundred bytes). */
    static final long MAX_SST_FENCE_BYTES = 4096;

    private WalGc() {
    }

    private enum Kind { WAL, FENCE, UNKNOWN }

    private static Kind kind(GcContext context, WalObjects.Listed object) {
        long size = object.metadata().size();
        if (size == 0) {
            return Kind.FENCE;
        }
        if (size > MAX_SST_FENCE_BYTES) {
            return Kind.WAL;
        }
        try {
            Optional<WalFile> file = Futures.join(WalObjects.read(context.walStore(), context.layout(), object.id()));
            if (file.isEmpty()) {
                return Kind.UNKNOWN; // deleted meanwhile
            }
            return file.get().rows().isEmpty() ? Kind.FENCE : Kind.WAL;
        } catch (RuntimeException unreadable) {
            return Kind.UNKNOWN;
        }
    }

    /**
     * The {@code selected} objects that the latest manifest, re-read after the run published the bound
     * it deletes below, still leaves to collect. A WAL retention slot created after {@code live} was read
     * is either in the re-read manifest, and so kept, or was written after the bound was raised, and so
     * sees it and fails when it lies below ({@code Admin.createWalRetention}): a slot never holds WAL
     * this run deletes. The bound only rises ({@link BoundaryFile#advance}), as concurrent runs need.
     * Without boundary files (stores without conditional overwrite) the bound is not published.
     */
    private static List<WalObjects.Listed> recheckedAfterPublishing(GcContext context, List<WalObjects.Listed> selected,
                                                                    Instant now) {
        BoundaryFile bound = context.walBound();
        if (bound == null) {
            return selected;
        }
        long highest = selected.stream().mapToLong(WalObjects.Listed::id).reduce((a, b) ->
                Long.compareUnsigned(a, b) >= 0 ? a : b).orElseThrow();
        Futures.join(bound.advance(highest + 1));
        LiveState recheck = LiveState.load(context.manifests(), now);
        return selected.stream().filter(object -> !recheck.walReferenced(object.id())).toList();
    }

    /**
     * Deletes the WAL objects of one kind ({@code fences} or WAL SSTs) that nothing needs.
     *
     * @return the paths deleted, or with {@code dryRun} of those that would be
     */
    static List<String> collect(GcContext context, LiveState live, boolean fences,
                                GarbageCollectorDirectoryOptions options, Instant now, boolean dryRun) {
        List<WalObjects.Listed> all = Futures.join(WalObjects.list(context.walStore(), context.layout()));
        if (all.isEmpty()) {
            return List.of();
        }
        long newest = all.get(all.size() - 1).id();
        List<WalObjects.Listed> selected = new ArrayList<>();
        for (WalObjects.Listed object : all) {
            if (object.id() == newest || live.walReferenced(object.id())
                    || !Ages.olderThan(object.metadata().lastModified(), options, now)) {
                continue;
            }
            if (kind(context, object) == (fences ? Kind.FENCE : Kind.WAL)) {
                selected.add(object);
            }
        }
        if (dryRun || selected.isEmpty()) {
            return selected.stream().map(o -> o.metadata().path()).toList();
        }
        List<WalObjects.Listed> deletable = recheckedAfterPublishing(context, selected, now);
        return Deletions.run(deletable, o -> o.metadata().path(), o -> context.walStore().delete(o.metadata().path()));
    }
}
