package io.slatedb.manifest;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.format.Ulid;
import io.slatedb.format.fb.BoundType;
import io.slatedb.format.fb.BytesBound;
import io.slatedb.format.fb.BytesRange;
import io.slatedb.format.fb.CheckpointMetadata;
import io.slatedb.format.fb.CompactedSsTable;
import io.slatedb.format.fb.CompactedSsTableV2;
import io.slatedb.format.fb.CompactedSsTableView;
import io.slatedb.format.fb.ManifestV1;
import io.slatedb.format.fb.ManifestV2;
import io.slatedb.format.fb.SortedRunV2;
import io.slatedb.format.fb.Uuid;
import io.slatedb.format.fb.WriterCheckpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the FlatBuffer of a manifest. Objects are created in the order SlateDB's Rust writer creates
 * them and tables are written through the generated {@code create} methods, which add fields in the
 * same order as Rust's generated code; the FlatBuffers builders of both languages lay bytes out the same
 * way, so a version-1 manifest re-encoded from a Rust-written one is byte-identical to it.
 */
final class ManifestEncoder {
    /** The vtable slot of {@code format_version} in {@code CompactedSsTable} and {@code CompactedSsTableV2}. */
    private static final int V1_FORMAT_VERSION_SLOT = 3;
    private static final int V2_FORMAT_VERSION_SLOT = 2;

    private final FlatBufferBuilder builder = new FlatBufferBuilder(1024);

    private ManifestEncoder() {
    }

    /** The FlatBuffer of {@code manifest} as a {@code ManifestV1} (no version prefix). */
    static byte[] encodeV1(Manifest manifest) {
        return new ManifestEncoder().manifestV1(manifest);
    }

    /** The FlatBuffer of {@code manifest} as a {@code ManifestV2} (no version prefix). */
    static byte[] encodeV2(Manifest manifest) {
        return new ManifestEncoder().manifestV2(manifest);
    }

    private byte[] manifestV1(Manifest manifest) {
        ManifestCore core = manifest.core();
        int l0 = ManifestV1.createL0Vector(builder, v1Ssts(core.l0()));
        // V1 stores the marker as an SST id; SlateDB writes nothing when that id is unknown.
        int lastCompacted = core.tree().lastCompactedL0SstId() == null ? 0 : ulid(core.tree().lastCompactedL0SstId());
        int[] runs = new int[core.compacted().size()];
        for (int i = 0; i < runs.length; i++) {
            SortedRun run = core.compacted().get(i);
            int ssts = io.slatedb.format.fb.SortedRun.createSstsVector(builder, v1Ssts(run.ssts()));
            runs[i] = io.slatedb.format.fb.SortedRun.createSortedRun(builder, run.id(), ssts);
        }
        int compacted = ManifestV1.createCompactedVector(builder, runs);
        int checkpoints = ManifestV1.createCheckpointsVector(builder, checkpoints(core.checkpoints()));
        int externalDbs = externalDbs(manifest.externalDbs());
        int walUri = core.walObjectStoreUri() == null ? 0 : string(core.walObjectStoreUri());
        int tracker = core.sequenceTracker() == null ? 0 : builder.createByteVector(core.sequenceTracker());
        int root = ManifestV1.createManifestV1(builder, 0, externalDbs, core.initialized(), manifest.writerEpoch(),
                manifest.compactorEpoch(), core.replayAfterWalId(), core.nextWalSstId() - 1, lastCompacted, l0,
                compacted, core.lastL0ClockTick(), checkpoints, core.lastL0Seq(), walUri,
                core.recentSnapshotMinSeq(), tracker);
        builder.finish(root);
        return builder.sizedByteArray();
    }

    private byte[] manifestV2(Manifest manifest) {
        ManifestCore core = manifest.core();
        if (core.walObjectStoreUri() != null) {
            throw new IllegalArgumentException("a version-2 manifest cannot record a separate WAL object store");
        }
        // Every physical SST once, in order of first appearance.
        Map<Ulid, CompactedSst> unique = new LinkedHashMap<>();
        collect(core.tree(), unique);
        core.segments().forEach(segment -> collect(segment.tree(), unique));
        int[] sstOffsets = new int[unique.size()];
        int next = 0;
        for (CompactedSst sst : unique.values()) {
            int id = ulid(sst.id());
            int info = sst.info().writeTo(builder);
            CompactedSsTableV2.startCompactedSsTableV2(builder);
            CompactedSsTableV2.addInfo(builder, info);
            CompactedSsTableV2.addId(builder, id);
            alwaysAddShort(V2_FORMAT_VERSION_SLOT, sst.formatVersion());
            sstOffsets[next++] = CompactedSsTableV2.endCompactedSsTableV2(builder);
        }
        int ssts = ManifestV2.createSstsVector(builder, sstOffsets);
        int l0 = ManifestV2.createL0Vector(builder, views(core.l0()));
        int lastCompacted = core.tree().lastCompactedL0ViewId() == null ? 0 : ulid(core.tree().lastCompactedL0ViewId());
        int compacted = ManifestV2.createCompactedVector(builder, runsV2(core.compacted()));
        int checkpoints = ManifestV2.createCheckpointsVector(builder, checkpoints(core.checkpoints()));
        int externalDbs = externalDbs(manifest.externalDbs());
        int tracker = core.sequenceTracker() == null ? 0 : builder.createByteVector(core.sequenceTracker());
        int segments = core.segments().isEmpty() ? 0 : ManifestV2.createSegmentsVector(builder, segments(core.segments()));
        int extractor = core.segmentExtractorName() == null ? 0 : string(core.segmentExtractorName());
        int root = ManifestV2.createManifestV2(builder, 0, externalDbs, core.initialized(), manifest.writerEpoch(),
                manifest.compactorEpoch(), core.replayAfterWalId(), core.nextWalSstId() - 1, lastCompacted, ssts, l0,
                compacted, core.lastL0ClockTick(), checkpoints, core.lastL0Seq(), core.recentSnapshotMinSeq(),
                tracker, segments, extractor);
        builder.finish(root);
        return builder.sizedByteArray();
    }

    /** V1 entries: a view is written as its SST, with the SST's id (V1 has no separate view ids). */
    private int[] v1Ssts(List<SstView> views) {
        int[] offsets = new int[views.size()];
        for (int i = 0; i < offsets.length; i++) {
            SstView view = views.get(i);
            int id = ulid(view.sst().id());
            int info = view.sst().info().writeTo(builder);
            int range = view.visibleRange() == null ? 0 : keyRange(view.visibleRange());
            CompactedSsTable.startCompactedSsTable(builder);
            CompactedSsTable.addVisibleRange(builder, range);
            CompactedSsTable.addInfo(builder, info);
            CompactedSsTable.addId(builder, id);
            alwaysAddShort(V1_FORMAT_VERSION_SLOT, view.sst().formatVersion());
            offsets[i] = CompactedSsTable.endCompactedSsTable(builder);
        }
        return offsets;
    }

    private int[] views(List<SstView> views) {
        int[] offsets = new int[views.size()];
        for (int i = 0; i < offsets.length; i++) {
            SstView view = views.get(i);
            int sstId = ulid(view.sst().id());
            int range = view.visibleRange() == null ? 0 : keyRange(view.visibleRange());
            int id = ulid(view.id());
            offsets[i] = CompactedSsTableView.createCompactedSsTableView(builder, id, sstId, range);
        }
        return offsets;
    }

    private int[] runsV2(List<SortedRun> runs) {
        int[] offsets = new int[runs.size()];
        for (int i = 0; i < offsets.length; i++) {
            SortedRun run = runs.get(i);
            int ssts = SortedRunV2.createSstsVector(builder, views(run.ssts()));
            offsets[i] = SortedRunV2.createSortedRunV2(builder, run.id(), ssts);
        }
        return offsets;
    }

    private int[] segments(List<Segment> segments) {
        int[] offsets = new int[segments.size()];
        for (int i = 0; i < offsets.length; i++) {
            Segment segment = segments.get(i);
            LsmTree tree = segment.tree();
            int prefix = builder.createByteVector(segment.prefix());
            int lastCompacted = tree.lastCompactedL0ViewId() == null ? 0 : ulid(tree.lastCompactedL0ViewId());
            int l0 = io.slatedb.format.fb.Segment.createL0Vector(builder, views(tree.l0()));
            int compacted = io.slatedb.format.fb.Segment.createCompactedVector(builder, runsV2(tree.compacted()));
            offsets[i] = io.slatedb.format.fb.Segment.createSegment(builder, prefix, lastCompacted, l0, compacted);
        }
        return offsets;
    }

    private int[] checkpoints(List<Checkpoint> checkpoints) {
        int[] offsets = new int[checkpoints.size()];
        for (int i = 0; i < offsets.length; i++) {
            Checkpoint checkpoint = checkpoints.get(i);
            int id = uuid(checkpoint.id());
            int name = checkpoint.name() == null ? 0 : string(checkpoint.name());
            int metadata = checkpoint.writerEpoch().isPresent()
                    ? WriterCheckpoint.createWriterCheckpoint(builder, checkpoint.writerEpoch().getAsLong()) : 0;
            byte metadataType = metadata == 0 ? CheckpointMetadata.NONE : CheckpointMetadata.WriterCheckpoint;
            offsets[i] = io.slatedb.format.fb.Checkpoint.createCheckpoint(builder, id, checkpoint.manifestId(),
                    checkpoint.expireTimeSeconds(), checkpoint.createTimeSeconds(), metadataType, metadata, name);
        }
        return offsets;
    }

    /** The external-db vector, or 0 (absent) when there are none, as SlateDB writes it. */
    private int externalDbs(List<ExternalDb> externalDbs) {
        if (externalDbs.isEmpty()) {
            return 0;
        }
        int[] offsets = new int[externalDbs.size()];
        for (int i = 0; i < offsets.length; i++) {
            ExternalDb db = externalDbs.get(i);
            int path = string(db.path());
            int source = uuid(db.sourceCheckpointId());
            int finalCheckpoint = db.finalCheckpointId() == null ? 0 : uuid(db.finalCheckpointId());
            int[] ids = new int[db.sstIds().size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = ulid(db.sstIds().get(j));
            }
            int sstIds = io.slatedb.format.fb.ExternalDb.createSstIdsVector(builder, ids);
            offsets[i] = io.slatedb.format.fb.ExternalDb.createExternalDb(builder, path, source, finalCheckpoint, sstIds);
        }
        return ManifestV1.createExternalDbsVector(builder, offsets);
    }

    private int keyRange(KeyRange range) {
        int start = keyBound(range.start());
        int end = keyBound(range.end());
        return BytesRange.createBytesRange(builder, start, end);
    }

    private int keyBound(KeyBound bound) {
        byte type = switch (bound.kind()) {
            case UNBOUNDED -> BoundType.Unbounded;
            case INCLUDED -> BoundType.Included;
            case EXCLUDED -> BoundType.Excluded;
        };
        int key = bound.key() == null ? 0 : builder.createByteVector(bound.key());
        return BytesBound.createBytesBound(builder, key, type);
    }

    private int ulid(Ulid ulid) {
        return io.slatedb.format.fb.Ulid.createUlid(builder, ulid.high(), ulid.low());
    }

    private int uuid(UUID uuid) {
        return Uuid.createUuid(builder, uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    private int string(String value) {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("string is not valid Unicode (unpaired surrogate): " + value);
        }
        return builder.createString(value);
    }

    /**
     * Writes an optional u16 that is present, even when it equals the type's default: the generated
     * adder would drop a 0, while SlateDB writes every present optional scalar.
     */
    private void alwaysAddShort(int slot, int value) {
        builder.addShort((short) value);
        builder.slot(slot);
    }

    private static void collect(LsmTree tree, Map<Ulid, CompactedSst> unique) {
        tree.l0().forEach(view -> unique.putIfAbsent(view.sst().id(), view.sst()));
        tree.compacted().forEach(run -> run.ssts().forEach(view -> unique.putIfAbsent(view.sst().id(), view.sst())));
    }

    private static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
