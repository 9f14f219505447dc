package io.slatedb;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A manifest's content as a stable, read-only model: every field SlateDB stores in a manifest (the LSM
 * tree and its segments, the WAL position, watermarks, checkpoints, epochs and the databases a clone reads
 * from), in public types only. It is built from the engine's internal manifest model and does not change
 * when that model does. Lists are unmodifiable; byte arrays are copied in and out, so a view never
 * changes once built; equality compares them by content.
 *
 * <p>Numbers SlateDB stores as unsigned 64-bit integers (ids, epochs, sequence numbers) are held in
 * {@code long}s; read them with {@link Long#toUnsignedString(long)} and compare them with
 * {@link Long#compareUnsigned(long, long)}. ULIDs are given in their 26-character text form.
 *
 * @param writerEpoch          bumped by every writer that opened the database (unsigned)
 * @param compactorEpoch       bumped by every compactor that started (unsigned)
 * @param initialized          false for a clone whose setup has not finished
 * @param nextWalSstId         the id the next WAL SST gets (unsigned)
 * @param replayAfterWalId     WAL SSTs up to this id are in the tree; replay starts after it (unsigned)
 * @param lastL0ClockTick      the newest clock tick flushed to L0, {@link Long#MIN_VALUE} when none
 * @param lastL0Seq            the newest sequence number flushed to L0 (unsigned)
 * @param recentSnapshotMinSeq the oldest sequence number a recent snapshot may still read (unsigned)
 * @param sequenceTracker      SlateDB's encoded sequence-number-to-time tracker, or null when absent
 * @param walObjectStoreUri    the URI of a separate WAL store as recorded, or null when the WAL is in the
 *                             main store
 * @param segmentExtractorName the name of the segment extractor of a segmented database, or null
 * @param tree                 the main LSM tree
 * @param segments             the trees of the segments of a segmented database, by prefix
 * @param checkpoints          the checkpoints, in stored order
 * @param externalDbs          the databases a clone reads SSTs from
 */
public record ManifestView(long writerEpoch, long compactorEpoch, boolean initialized, long nextWalSstId,
                           long replayAfterWalId, long lastL0ClockTick, long lastL0Seq, long recentSnapshotMinSeq,
                           byte[] sequenceTracker, String walObjectStoreUri, String segmentExtractorName,
                           Tree tree, List<Segment> segments, List<StoredCheckpoint> checkpoints,
                           List<ExternalDb> externalDbs) {

    /** @throws NullPointerException when {@code tree} or a list is null */
    public ManifestView {
        Objects.requireNonNull(tree, "tree");
        sequenceTracker = copy(sequenceTracker);
        segments = List.copyOf(segments);
        checkpoints = List.copyOf(checkpoints);
        externalDbs = List.copyOf(externalDbs);
    }

    /** A copy of the encoded sequence tracker, or null when absent. */
    @Override
    public byte[] sequenceTracker() {
        return copy(sequenceTracker);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestView m && writerEpoch == m.writerEpoch && compactorEpoch == m.compactorEpoch
                && initialized == m.initialized && nextWalSstId == m.nextWalSstId
                && replayAfterWalId == m.replayAfterWalId && lastL0ClockTick == m.lastL0ClockTick
                && lastL0Seq == m.lastL0Seq && recentSnapshotMinSeq == m.recentSnapshotMinSeq
                && Arrays.equals(sequenceTracker, m.sequenceTracker)
                && Objects.equals(walObjectStoreUri, m.walObjectStoreUri)
                && Objects.equals(segmentExtractorName, m.segmentExtractorName) && tree.equals(m.tree)
                && segments.equals(m.segments) && checkpoints.equals(m.checkpoints)
                && externalDbs.equals(m.externalDbs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(writerEpoch, compactorEpoch, initialized, nextWalSstId, replayAfterWalId,
                lastL0ClockTick, lastL0Seq, recentSnapshotMinSeq, Arrays.hashCode(sequenceTracker),
                walObjectStoreUri, segmentExtractorName, tree, segments, checkpoints, externalDbs);
    }

    @Override
    public String toString() {
        return "ManifestView[writerEpoch=" + Long.toUnsignedString(writerEpoch) + ", compactorEpoch="
                + Long.toUnsignedString(compactorEpoch) + ", initialized=" + initialized + ", nextWalSstId="
                + Long.toUnsignedString(nextWalSstId) + ", replayAfterWalId=" + Long.toUnsignedString(replayAfterWalId)
                + ", lastL0ClockTick=" + lastL0ClockTick + ", lastL0Seq=" + Long.toUnsignedString(lastL0Seq)
                + ", recentSnapshotMinSeq=" + Long.toUnsignedString(recentSnapshotMinSeq) + ", sequenceTracker="
                + hex(sequenceTracker) + ", walObjectStoreUri=" + walObjectStoreUri + ", segmentExtractorName="
                + segmentExtractorName + ", tree=" + tree + ", segments=" + segments + ", checkpoints="
                + checkpoints + ", externalDbs=" + externalDbs + "]";
    }

    /** Whether the database is segmented: its data lives in per-prefix trees besides the main tree. */
    public boolean isSegmented() {
        return segmentExtractorName != null || !segments.isEmpty();
    }

    /** The main tree followed by every segment's tree. */
    public List<Tree> allTrees() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(tree),
                segments.stream().map(Segment::tree)).toList();
    }

    /**
     * One LSM tree: its L0 SSTs (newest first) and its sorted runs.
     *
     * @param lastCompactedL0ViewId the ULID of the newest L0 view compaction consumed, or null
     * @param lastCompactedL0SstId  the ULID of the newest L0 SST compaction consumed, or null
     * @param l0                    the L0 SST views, newest first
     * @param sortedRuns            the sorted runs, as stored
     */
    public record Tree(String lastCompactedL0ViewId, String lastCompactedL0SstId, List<SstView> l0,
                       List<SortedRun> sortedRuns) {

        /** @throws NullPointerException when a list is null */
        public Tree {
            l0 = List.copyOf(l0);
            sortedRuns = List.copyOf(sortedRuns);
        }
    }

    /**
     * The tree of one segment of a segmented database.
     *
     * @param prefix the key prefix of the segment
     * @param tree   its tree
     */
    public record Segment(byte[] prefix, Tree tree) {

        /** @throws NullPointerException when an argument is null */
        public Segment {
            prefix = Objects.requireNonNull(prefix, "prefix").clone();
            Objects.requireNonNull(tree, "tree");
        }

        /** A copy of the key prefix. */
        @Override
        public byte[] prefix() {
            return prefix.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment other && Arrays.equals(prefix, other.prefix) && tree.equals(other.tree);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(prefix) + tree.hashCode();
        }

        @Override
        public String toString() {
            return "Segment[prefix=" + hex(prefix) + ", tree=" + tree + "]";
        }
    }

    /**
     * A sorted run: SSTs with disjoint key ranges, in key order.
     *
     * @param id   the run's id
     * @param ssts its SST views
     */
    public record SortedRun(long id, List<SstView> ssts) {

        /** @throws NullPointerException when {@code ssts} is null */
        public SortedRun {
            ssts = List.copyOf(ssts);
        }
    }

    /**
     * A view of an SST as the tree holds it: the whole SST, or only part of its keys (after a clone's
     * projection), possibly under its own id.
     *
     * @param id           the view's ULID; the SST's own id when the view is a plain view
     * @param sst          the SST it reads
     * @param visibleRange the keys of the SST it shows, or null for all of them
     */
    public record SstView(String id, Sst sst, KeyRange visibleRange) {

        /** @throws NullPointerException when {@code id} or {@code sst} is null */
        public SstView {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sst, "sst");
        }
    }

    /**
     * One compacted SST and its metadata, as the manifest records it.
     *
     * @param id            the SST's ULID
     * @param createdMillis the time in its ULID, in epoch milliseconds
     * @param formatVersion the SST format version
     * @param estimatedSize its estimated size in bytes
     * @param firstKey      its first key
     * @param lastKey       its last key, or null when the manifest does not record it
     * @param indexOffset   where its index starts
     * @param indexLength   the index's length
     * @param filterOffset  where its filter starts
     * @param filterLength  the filter's length, 0 when it has none
     * @param filterFormat  the name of the filter's format
     * @param statsOffset   where its statistics start
     * @param statsLength   the statistics' length
     * @param compression   how its blocks are compressed
     * @param type          the name of its type (for example {@code Compacted})
     */
    public record Sst(String id, long createdMillis, int formatVersion, long estimatedSize, byte[] firstKey,
                      byte[] lastKey, long indexOffset, long indexLength, long filterOffset, long filterLength,
                      String filterFormat, long statsOffset, long statsLength, CompressionCodec compression,
                      String type) {

        /** @throws NullPointerException when {@code id} is null */
        public Sst {
            Objects.requireNonNull(id, "id");
            firstKey = copy(firstKey);
            lastKey = copy(lastKey);
        }

        /** A copy of the first key. */
        @Override
        public byte[] firstKey() {
            return copy(firstKey);
        }

        /** A copy of the last key, or null. */
        @Override
        public byte[] lastKey() {
            return copy(lastKey);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sst s && id.equals(s.id) && createdMillis == s.createdMillis
                    && formatVersion == s.formatVersion && estimatedSize == s.estimatedSize
                    && Arrays.equals(firstKey, s.firstKey) && Arrays.equals(lastKey, s.lastKey)
                    && indexOffset == s.indexOffset && indexLength == s.indexLength && filterOffset == s.filterOffset
                    && filterLength == s.filterLength && Objects.equals(filterFormat, s.filterFormat)
                    && statsOffset == s.statsOffset && statsLength == s.statsLength && compression == s.compression
                    && Objects.equals(type, s.type);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, createdMillis, formatVersion, estimatedSize, Arrays.hashCode(firstKey),
                    Arrays.hashCode(lastKey), indexOffset, indexLength, filterOffset, filterLength, filterFormat,
                    statsOffset, statsLength, compression, type);
        }

        @Override
        public String toString() {
            return "Sst[id=" + id + ", formatVersion=" + formatVersion + ", estimatedSize=" + estimatedSize
                    + ", firstKey=" + hex(firstKey) + ", lastKey=" + hex(lastKey) + ", indexOffset=" + indexOffset
                    + ", indexLength=" + indexLength + ", filterOffset=" + filterOffset + ", filterLength="
                    + filterLength + ", filterFormat=" + filterFormat + ", statsOffset=" + statsOffset
                    + ", statsLength=" + statsLength + ", compression=" + compression + ", type=" + type + "]";
        }
    }

    /**
     * A range of keys between two bounds.
     *
     * @param start the lower bound
     * @param end   the upper bound
     */
    public record KeyRange(KeyBound start, KeyBound end) {

        /** @throws NullPointerException when a bound is null */
        public KeyRange {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }

    /**
     * One end of a {@link KeyRange}.
     *
     * @param kind whether the key is in the range, out of it, or there is no bound
     * @param key  the key, as stored (may be null or empty when unbounded)
     */
    public record KeyBound(Kind kind, byte[] key) {

        /** How a bound treats its key. */
        public enum Kind {
            /** No bound: the range extends without limit on this side. */
            UNBOUNDED,
            /** The key is in the range. */
            INCLUDED,
            /** The key is not in the range. */
            EXCLUDED
        }

        /** @throws NullPointerException when {@code kind} is null */
        public KeyBound {
            Objects.requireNonNull(kind, "kind");
            key = copy(key);
        }

        /** A copy of the key, or null. */
        @Override
        public byte[] key() {
            return copy(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBound b && kind == b.kind && Arrays.equals(key, b.key);
        }

        @Override
        public int hashCode() {
            return 31 * kind.hashCode() + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "KeyBound[kind=" + kind + ", key=" + hex(key) + "]";
        }
    }

    /**
     * A checkpoint as the manifest stores it.
     *
     * @param info              the checkpoint
     * @param createTimeSeconds when it was created, in stored epoch seconds
     * @param expireTimeSeconds when it expires, in stored epoch seconds (0 when it never does)
     * @param writerEpoch       the writer epoch recorded with it, if any
     */
    public record StoredCheckpoint(CheckpointInfo info, long createTimeSeconds, long expireTimeSeconds,
                                   OptionalLong writerEpoch) {

        /** @throws NullPointerException when {@code info} or {@code writerEpoch} is null */
        public StoredCheckpoint {
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(writerEpoch, "writerEpoch");
        }
    }

    /**
     * A database a clone reads SSTs from.
     *
     * @param path               its path in the store
     * @param sourceCheckpointId the checkpoint of it the clone was made from
     * @param finalCheckpointId  the checkpoint that pins its SSTs for the clone, or null until set
     * @param sstIds             the ULIDs of its SSTs the clone reads
     */
    public record ExternalDb(String path, UUID sourceCheckpointId, UUID finalCheckpointId, List<String> sstIds) {

        /** @throws NullPointerException when {@code path}, {@code sourceCheckpointId} or {@code sstIds} is null */
        public ExternalDb {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sourceCheckpointId, "sourceCheckpointId");
            sstIds = List.copyOf(sstIds);
        }
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }

    private static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }
}
