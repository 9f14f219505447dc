package io.slatedb.manifest;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The state a manifest describes apart from epochs and clone sources: the LSM tree (and, in segmented
 * databases, one tree per segment), the WAL position, clock and sequence watermarks, and checkpoints.
 * Unsigned 64-bit values are held in {@code long}s.
 *
 * @param initialized             false only for a clone whose setup has not finished; readers refuse it
 * @param tree                    the database's (unsegmented) LSM tree
 * @param segments                the segments of a segmented database, by ascending prefix; empty
 *                                otherwise
 * @param segmentExtractorName    the name of the configured segment extractor, or null
 * @param nextWalSstId            the id the next WAL SST gets; never 0 (stored as {@code wal_id_last_seen
 *                                = nextWalSstId - 1})
 * @param replayAfterWalId        every WAL SST with an id up to this one is covered by L0 and below, so
 *                                recovery replays from the next id
 * @param lastL0ClockTick         the highest row timestamp (ms) flushed to L0; {@link Long#MIN_VALUE}
 *                                before the first flush. Signed
 * @param lastL0Seq               the highest sequence number in L0 and below
 * @param recentSnapshotMinSeq    the oldest sequence number live snapshots needed at the last flush
 * @param sequenceTracker         the sequence-number-to-time samples (RFC-0012), kept as the stored
 *                                bytes; null when the manifest has none
 * @param checkpoints             the open checkpoints
 * @param walObjectStoreUri       present (SlateDB writes {@code ""}) when the WAL lives in a separate
 *                                object store; null otherwise
 */
public record ManifestCore(boolean initialized, LsmTree tree, List<Segment> segments, String segmentExtractorName,
                           long nextWalSstId, long replayAfterWalId, long lastL0ClockTick, long lastL0Seq,
                           long recentSnapshotMinSeq, byte[] sequenceTracker, List<Checkpoint> checkpoints,
                           String walObjectStoreUri) {

    /**
     * SlateDB's encoding of a sequence tracker with no samples: format version 1 followed by zero
     * counts. A new database's manifest carries it.
     */
    private static final byte[] EMPTY_SEQUENCE_TRACKER = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    public ManifestCore {
        Objects.requireNonNull(tree, "tree");
        segments = List.copyOf(segments);
        checkpoints = List.copyOf(checkpoints);
        if (nextWalSstId == 0) {
            throw new IllegalArgumentException("the next WAL SST id starts at 1");
        }
        sequenceTracker = sequenceTracker == null ? null : sequenceTracker.clone();
    }

    /**
     * The core of a new database, as SlateDB writes it: initialized, no SSTs, WAL ids starting at 1,
     * nothing replayed, the clock tick at {@link Long#MIN_VALUE}, sequence numbers at 0, an empty
     * sequence tracker, no checkpoints, and the WAL in the main store.
     */
    public static ManifestCore initial() {
        return new ManifestCore(true, LsmTree.empty(), List.of(), null, 1, 0, Long.MIN_VALUE, 0, 0,
                EMPTY_SEQUENCE_TRACKER, List.of(), null);
    }

    /** A builder starting from this core's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a changed copy of a {@link ManifestCore}; every setter names a field of the record. */
    public static final class Builder {
        private boolean initialized;
        private LsmTree tree;
        private List<Segment> segments;
        private String segmentExtractorName;
        private long nextWalSstId;
        private long replayAfterWalId;
        private long lastL0ClockTick;
        private long lastL0Seq;
        private long recentSnapshotMinSeq;
        private byte[] sequenceTracker;
        private List<Checkpoint> checkpoints;
        private String walObjectStoreUri;

        private Builder(ManifestCore core) {
            initialized = core.initialized;
            tree = core.tree;
            segments = core.segments;
            segmentExtractorName = core.segmentExtractorName;
            nextWalSstId = core.nextWalSstId;
            replayAfterWalId = core.replayAfterWalId;
            lastL0ClockTick = core.lastL0ClockTick;
            lastL0Seq = core.lastL0Seq;
            recentSnapshotMinSeq = core.recentSnapshotMinSeq;
            sequenceTracker = core.sequenceTracker;
            checkpoints = core.checkpoints;
            walObjectStoreUri = core.walObjectStoreUri;
        }

        public Builder initialized(boolean value) {
            initialized = value;
            return this;
        }

        public Builder tree(LsmTree value) {
            tree = value;
            return this;
        }

        public Builder segments(List<Segment> value) {
            segments = value;
            return this;
        }

        public Builder segmentExtractorName(String value) {
            segmentExtractorName = value;
            return this;
        }

        public Builder nextWalSstId(long value) {
            nextWalSstId = value;
            return this;
        }

        public Builder replayAfterWalId(long value) {
            replayAfterWalId = value;
            return this;
        }

        public Builder lastL0ClockTick(long value) {
            lastL0ClockTick = value;
            return this;
        }

        public Builder lastL0Seq(long value) {
            lastL0Seq = value;
            return this;
        }

        public Builder recentSnapshotMinSeq(long value) {
            recentSnapshotMinSeq = value;
            return this;
        }

        public Builder sequenceTracker(byte[] value) {
            sequenceTracker = value;
            return this;
        }

        public Builder checkpoints(List<Checkpoint> value) {
            checkpoints = value;
            return this;
        }

        public Builder walObjectStoreUri(String value) {
            walObjectStoreUri = value;
            return this;
        }

        public ManifestCore build() {
            return new ManifestCore(initialized, tree, segments, segmentExtractorName, nextWalSstId, replayAfterWalId,
                    lastL0ClockTick, lastL0Seq, recentSnapshotMinSeq, sequenceTracker, checkpoints, walObjectStoreUri);
        }
    }

    /** L0 views of the unsegmented tree, newest first. */
    public List<SstView> l0() {
        return tree.l0();
    }

    /** Sorted runs of the unsegmented tree, by descending id. */
    public List<SortedRun> compacted() {
        return tree.compacted();
    }

    /** Whether the database is segmented; such a manifest is stored as version 2. */
    public boolean isSegmented() {
        return !segments.isEmpty() || segmentExtractorName != null;
    }

    /** A copy of the stored sequence tracker bytes, or null. */
    @Override
    public byte[] sequenceTracker() {
        return sequenceTracker == null ? null : sequenceTracker.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestCore other
                && initialized == other.initialized && tree.equals(other.tree) && segments.equals(other.segments)
                && Objects.equals(segmentExtractorName, other.segmentExtractorName)
                && nextWalSstId == other.nextWalSstId && replayAfterWalId == other.replayAfterWalId
                && lastL0ClockTick == other.lastL0ClockTick && lastL0Seq == other.lastL0Seq
                && recentSnapshotMinSeq == other.recentSnapshotMinSeq
                && Arrays.equals(sequenceTracker, other.sequenceTracker) && checkpoints.equals(other.checkpoints)
                && Objects.equals(walObjectStoreUri, other.walObjectStoreUri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialized, tree, segments, segmentExtractorName, nextWalSstId, replayAfterWalId,
                lastL0ClockTick, lastL0Seq, recentSnapshotMinSeq, Arrays.hashCode(sequenceTracker), checkpoints,
                walObjectStoreUri);
    }

    @Override
    public String toString() {
        return "ManifestCore[initialized=" + initialized + ", tree=" + tree + ", segments=" + segments
                + ", segmentExtractorName=" + segmentExtractorName
                + ", nextWalSstId=" + Long.toUnsignedString(nextWalSstId)
                + ", replayAfterWalId=" + Long.toUnsignedString(replayAfterWalId)
                + ", lastL0ClockTick=" + lastL0ClockTick + ", lastL0Seq=" + Long.toUnsignedString(lastL0Seq)
                + ", recentSnapshotMinSeq=" + Long.toUnsignedString(recentSnapshotMinSeq)
                + ", sequenceTracker=" + (sequenceTracker == null ? "null" : sequenceTracker.length + " bytes")
                + ", checkpoints=" + checkpoints + ", walObjectStoreUri=" + walObjectStoreUri + "]";
    }
}
