package io.slatedb.manifest;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.DbLayout;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;

import java.util.Arrays;
import java.util.List;

/**
 * The consistency rules every decoded manifest must satisfy, checked each time one is loaded. The
 * manifest format carries no checksum, so a damaged value that still decodes is caught here when it
 * contradicts the rest of the manifest: WAL ids and sequence numbers out of order, sorted runs out of
 * order, SST records that are not compacted SSTs or whose key ranges are inverted or overlap within a
 * run, empty runs. All checks read only the manifest itself; the SSTs it names are checked when first opened.
 */
public final class ManifestChecks {
    private ManifestChecks() {
    }

    /**
     * Checks {@code manifest}, stored at {@code path}.
     *
     * @throws CorruptObjectException naming the manifest and the broken rule
     */
    public static void check(String path, Manifest manifest) {
        String problem = problem(path, manifest);
        if (problem != null) {
            throw new CorruptObjectException(path, "inconsistent manifest: " + problem);
        }
    }

    /** The first rule {@code manifest} breaks, or null. */
    static String problem(String path, Manifest manifest) {
        ManifestCore core = manifest.core();
        if (!core.initialized() && manifest.externalDbs().isEmpty()) {
            return "not initialized, but it is no clone (no external databases)";
        }
        // wal_id_last_compacted <= wal_id_last_seen: nothing past the last WAL SST seen can be in L0.
        if (Long.compareUnsigned(core.replayAfterWalId(), core.nextWalSstId()) >= 0) {
            return "WAL SSTs up to " + Long.toUnsignedString(core.replayAfterWalId())
                    + " are flushed to L0, but the next WAL SST is " + Long.toUnsignedString(core.nextWalSstId());
        }
        Long manifestId = path == null ? null : DbLayout.parseManifestId(path).orElse(null);
        for (Checkpoint checkpoint : core.checkpoints()) {
            if (manifestId != null && Long.compareUnsigned(checkpoint.manifestId(), manifestId) > 0) {
                return "checkpoint " + checkpoint.id() + " refers to manifest "
                        + Long.toUnsignedString(checkpoint.manifestId()) + ", newer than this one";
            }
        }
        String treeProblem = treeProblem("", core.tree());
        if (treeProblem != null) {
            return treeProblem;
        }
        for (Segment segment : core.segments()) {
            treeProblem = treeProblem("segment " + Arrays.toString(segment.prefix()) + ": ", segment.tree());
            if (treeProblem != null) {
                return treeProblem;
            }
        }
        return null;
    }

    private static String treeProblem(String where, LsmTree tree) {
        for (SstView view : tree.l0()) {
            String problem = sstProblem(view.sst());
            if (problem != null) {
                return where + "L0 " + problem;
            }
        }
        List<SortedRun> runs = tree.compacted();
        for (int r = 0; r < runs.size(); r++) {
            SortedRun run = runs.get(r);
            if (r > 0 && runs.get(r - 1).id() <= run.id()) {
                return where + "sorted run " + run.id() + " follows run " + runs.get(r - 1).id()
                        + ": runs must be listed by descending id";
            }
            if (run.ssts().isEmpty()) {
                // Compactions drop empty outputs instead of listing them.
                return where + "sorted run " + run.id() + " has no SSTs";
            }
            SstView previous = null;
            for (SstView view : run.ssts()) {
                String problem = sstProblem(view.sst());
                if (problem != null) {
                    return where + "sorted run " + run.id() + ": " + problem;
                }
                if (previous != null && view.visibleRange() == null && previous.visibleRange() == null
                        && previous.sst().info().lastEntry() != null && view.sst().info().firstEntry() != null
                        && Arrays.compareUnsigned(previous.sst().info().lastEntry(), view.sst().info().firstEntry()) >= 0) {
                    return where + "sorted run " + run.id() + ": SST " + view.sst().id() + " does not start after SST "
                            + previous.sst().id() + " ends";
                }
                previous = view;
            }
        }
        return null;
    }

    private static String sstProblem(CompactedSst sst) {
        SstInfo info = sst.info();
        if (info.type() != SstType.COMPACTED) {
            return "SST " + sst.id() + " is recorded as a " + info.type() + " SST";
        }
        if (info.firstEntry() == null) {
            return "SST " + sst.id() + " has no first key";
        }
        if (info.lastEntry() != null && Arrays.compareUnsigned(info.firstEntry(), info.lastEntry()) > 0) {
            return "SST " + sst.id() + " has its first key after its last key";
        }
        if (info.indexOffset() < 0 || info.indexLength() <= 0 || info.filterOffset() < 0 || info.filterLength() < 0
                || info.statsOffset() < 0 || info.statsLength() < 0) {
            return "SST " + sst.id() + " has negative or empty block offsets and lengths";
        }
        return null;
    }
}
