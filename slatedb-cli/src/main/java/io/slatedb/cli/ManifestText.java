package io.slatedb.cli;

import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.ExternalDb;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.KeyRange;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.Segment;
import io.slatedb.manifest.SortedRun;
import io.slatedb.manifest.SstView;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A manifest summarised for people: epochs, WAL ids, sequence numbers and clock, then the L0 SSTs
 * (newest first) and sorted runs of each tree, the checkpoints and the databases a clone reads from.
 * SSTs show their id, the time in their ULID, their size estimate and their first and last keys.
 */
final class ManifestText {

    private static final String INDENT = "  ";

    private final PrintWriter out;
    private final boolean hexKeys;

    /** @param hexKeys print every key in hex, even printable ones */
    ManifestText(PrintWriter out, boolean hexKeys) {
        this.out = out;
        this.hexKeys = hexKeys;
    }

    /** Prints manifest {@code id} of the database {@code location} describes. */
    void print(long id, Manifest manifest, String location) {
        ManifestCore core = manifest.core();
        out.println("Manifest " + Long.toUnsignedString(id) + " of " + location);
        TextTable summary = new TextTable("writer epoch", Long.toUnsignedString(manifest.writerEpoch()))
                .add("compactor epoch", Long.toUnsignedString(manifest.compactorEpoch()))
                .add("initialized", core.initialized() ? "yes" : "no (a clone whose setup has not finished)")
                .add("next WAL SST id", Long.toUnsignedString(core.nextWalSstId()))
                .add("replay after WAL id", Long.toUnsignedString(core.replayAfterWalId()))
                .add("last L0 seq", Long.toUnsignedString(core.lastL0Seq()))
                .add("recent snapshot min seq", Long.toUnsignedString(core.recentSnapshotMinSeq()))
                .add("last L0 clock tick", clockTick(core.lastL0ClockTick()))
                .add("WAL store", core.walObjectStoreUri() == null ? "the main store"
                        : "a separate store (recorded URI \"" + core.walObjectStoreUri() + "\")")
                .add("sequence tracker", core.sequenceTracker() == null ? "none"
                        : core.sequenceTracker().length + " bytes");
        if (core.isSegmented()) {
            summary.add("segment extractor", core.segmentExtractorName() == null ? "-" : core.segmentExtractorName());
        }
        summary.print(out, INDENT);

        printTree("", core.tree());
        for (Segment segment : core.segments()) {
            printTree(" of segment " + KeyText.format(segment.prefix(), hexKeys), segment.tree());
        }
        printCheckpoints(core.checkpoints());
        printExternalDbs(manifest.externalDbs());
        out.flush();
    }

    private void printTree(String which, LsmTree tree) {
        out.println();
        String lastCompacted = tree.lastCompactedL0ViewId() == null ? "none"
                : tree.lastCompactedL0ViewId().toString();
        out.println("L0" + which + ": " + count(tree.l0().size(), "SST") + ", newest first (last compacted L0: "
                + lastCompacted + ")");
        printSsts(tree.l0());
        out.println();
        out.println("Sorted runs" + which + ": " + count(tree.compacted().size(), "run"));
        for (SortedRun run : tree.compacted()) {
            out.println(INDENT + "run " + run.id() + ": " + count(run.ssts().size(), "SST"));
            printSsts(run.ssts());
        }
    }

    private void printSsts(List<SstView> views) {
        if (views.isEmpty()) {
            return;
        }
        // The VIEW column appears only when a view is more than its whole SST.
        boolean plainViews = views.stream().allMatch(view -> viewNote(view).isEmpty());
        TextTable table = plainViews
                ? new TextTable("ID", "CREATED", "EST. SIZE", "FIRST KEY", "LAST KEY")
                : new TextTable("ID", "CREATED", "EST. SIZE", "FIRST KEY", "LAST KEY", "VIEW");
        for (SstView view : views) {
            String[] row = {view.sst().id().toString(),
                    Instant.ofEpochMilli(view.sst().id().timestampMillis()).toString(),
                    Long.toUnsignedString(view.sst().info().estimatedSize()),
                    KeyText.format(view.sst().info().firstEntry(), hexKeys),
                    KeyText.format(view.sst().info().lastEntry(), hexKeys),
                    viewNote(view)};
            table.add(plainViews ? Arrays.copyOf(row, 5) : row);
        }
        table.print(out, INDENT + INDENT);
    }

    /** How the view differs from a plain view of its whole SST; empty when it does not. */
    private String viewNote(SstView view) {
        StringBuilder note = new StringBuilder();
        if (!view.id().equals(view.sst().id())) {
            note.append("view ").append(view.id());
        }
        KeyRange range = view.visibleRange();
        if (range != null) {
            note.append(note.isEmpty() ? "" : ", ").append("visible ")
                    .append(range.start().kind() == KeyBound.Kind.INCLUDED ? "[" : "(")
                    .append(bound(range.start())).append(", ").append(bound(range.end()))
                    .append(range.end().kind() == KeyBound.Kind.INCLUDED ? "]" : ")");
        }
        return note.toString();
    }

    private String bound(KeyBound bound) {
        return bound.kind() == KeyBound.Kind.UNBOUNDED ? "unbounded" : KeyText.format(bound.key(), hexKeys);
    }

    private void printCheckpoints(List<Checkpoint> checkpoints) {
        out.println();
        out.println("Checkpoints: " + checkpoints.size());
        if (checkpoints.isEmpty()) {
            return;
        }
        TextTable table = new TextTable("ID", "MANIFEST", "CREATED", "EXPIRES", "NAME");
        for (Checkpoint checkpoint : checkpoints) {
            table.add(checkpoint.id().toString(), Long.toUnsignedString(checkpoint.manifestId()),
                    checkpoint.createTime().toString(),
                    checkpoint.expireTime().map(Instant::toString).orElse("never"),
                    checkpoint.name() == null ? "-" : checkpoint.name());
        }
        table.print(out, INDENT);
    }

    private void printExternalDbs(List<ExternalDb> externalDbs) {
        out.println();
        out.println("External databases: " + externalDbs.size());
        if (externalDbs.isEmpty()) {
            return;
        }
        TextTable table = new TextTable("PATH", "SOURCE CHECKPOINT", "FINAL CHECKPOINT", "SSTS");
        for (ExternalDb db : externalDbs) {
            table.add(db.path(), db.sourceCheckpointId().toString(),
                    db.finalCheckpointId() == null ? "-" : db.finalCheckpointId().toString(),
                    String.join(" ", db.sstIds().stream().map(Object::toString).toList()));
        }
        table.print(out, INDENT);
    }

    private static String clockTick(long tick) {
        if (tick == Long.MIN_VALUE) {
            return "none (nothing flushed to L0 yet)";
        }
        return tick + " (" + Instant.ofEpochMilli(tick) + ")";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
