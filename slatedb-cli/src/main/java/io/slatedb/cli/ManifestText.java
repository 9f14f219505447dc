package io.slatedb.cli;

import io.slatedb.CheckpointInfo;
import io.slatedb.ManifestView;
import io.slatedb.ManifestView.ExternalDb;
import io.slatedb.ManifestView.KeyBound;
import io.slatedb.ManifestView.KeyRange;
import io.slatedb.ManifestView.Segment;
import io.slatedb.ManifestView.SortedRun;
import io.slatedb.ManifestView.SstView;
import io.slatedb.ManifestView.StoredCheckpoint;
import io.slatedb.ManifestView.Tree;

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
    void print(long id, ManifestView manifest, String location) {
        out.println("Manifest " + Long.toUnsignedString(id) + " of " + location);
        TextTable summary = new TextTable("writer epoch", Long.toUnsignedString(manifest.writerEpoch()))
                .add("compactor epoch", Long.toUnsignedString(manifest.compactorEpoch()))
                .add("initialized", manifest.initialized() ? "yes" : "no (a clone whose setup has not finished)")
                .add("next WAL SST id", Long.toUnsignedString(manifest.nextWalSstId()))
                .add("replay after WAL id", Long.toUnsignedString(manifest.replayAfterWalId()))
                .add("last L0 seq", Long.toUnsignedString(manifest.lastL0Seq()))
                .add("recent snapshot min seq", Long.toUnsignedString(manifest.recentSnapshotMinSeq()))
                .add("last L0 clock tick", clockTick(manifest.lastL0ClockTick()))
                .add("WAL store", manifest.walObjectStoreUri() == null ? "the main store"
                        : "a separate store (recorded URI \"" + manifest.walObjectStoreUri() + "\")")
                .add("sequence tracker", manifest.sequenceTracker() == null ? "none"
                        : manifest.sequenceTracker().length + " bytes");
        if (manifest.isSegmented()) {
            summary.add("segment extractor", manifest.segmentExtractorName() == null ? "-" : manifest.segmentExtractorName());
        }
        summary.print(out, INDENT);

        printTree("", manifest.tree());
        for (Segment segment : manifest.segments()) {
            printTree(" of segment " + KeyText.format(segment.prefix(), hexKeys), segment.tree());
        }
        printCheckpoints(manifest.checkpoints());
        printExternalDbs(manifest.externalDbs());
        out.flush();
    }

    private void printTree(String which, Tree tree) {
        out.println();
        String lastCompacted = tree.lastCompactedL0ViewId() == null ? "none"
                : tree.lastCompactedL0ViewId();
        out.println("L0" + which + ": " + count(tree.l0().size(), "SST") + ", newest first (last compacted L0: "
                + lastCompacted + ")");
        printSsts(tree.l0());
        out.println();
        out.println("Sorted runs" + which + ": " + count(tree.sortedRuns().size(), "run"));
        for (SortedRun run : tree.sortedRuns()) {
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
            String[] row = {view.sst().id(),
                    Instant.ofEpochMilli(view.sst().createdMillis()).toString(),
                    Long.toUnsignedString(view.sst().estimatedSize()),
                    KeyText.format(view.sst().firstKey(), hexKeys),
                    KeyText.format(view.sst().lastKey(), hexKeys),
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

    private void printCheckpoints(List<StoredCheckpoint> checkpoints) {
        out.println();
        out.println("Checkpoints: " + checkpoints.size());
        if (checkpoints.isEmpty()) {
            return;
        }
        TextTable table = new TextTable("ID", "MANIFEST", "CREATED", "EXPIRES", "NAME");
        for (StoredCheckpoint stored : checkpoints) {
            CheckpointInfo checkpoint = stored.info();
            table.add(checkpoint.id().toString(), Long.toUnsignedString(checkpoint.manifestId()),
                    checkpoint.createTime().toString(),
                    checkpoint.expiry().map(Instant::toString).orElse("never"),
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
                    String.join(" ", db.sstIds()));
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
