package io.slatedb.manifest;

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
import io.slatedb.sst.SstInfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Turns a verified {@code ManifestV1} or {@code ManifestV2} into the model. Values the structure check
 * cannot catch (unknown enum values, bounds whose key contradicts their type, views of SSTs the
 * manifest does not list, a WAL id at the u64 maximum) are reported with
 * {@link IllegalArgumentException}; {@link ManifestCodec} reports those as corrupt objects.
 */
final class ManifestDecoder {

    private ManifestDecoder() {
    }

    /** Decodes a verified version-1 manifest, whose views are identified by their SSTs' ids. */
    static Manifest decodeV1(ByteBuffer buffer) {
        ManifestV1 m = ManifestV1.getRootAsManifestV1(buffer);
        Ulid lastCompacted = m.l0LastCompacted() == null ? null : ulid(m.l0LastCompacted());
        List<SstView> l0 = list(m.l0Length(), i -> v1View(m.l0(i)));
        List<SortedRun> compacted = list(m.compactedLength(), i -> {
            io.slatedb.format.fb.SortedRun run = m.compacted(i);
            return new SortedRun(run.id(), list(run.sstsLength(), j -> v1View(run.ssts(j))));
        });
        // In V1 the marker is an SST id, which is also the id of that SST's view.
        LsmTree tree = new LsmTree(lastCompacted, lastCompacted, l0, compacted);
        ManifestCore core = new ManifestCore(m.initialized(), tree, List.of(), null,
                nextWalSstId(m.walIdLastSeen()), m.replayAfterWalId(), m.lastL0ClockTick(), m.lastL0Seq(),
                m.recentSnapshotMinSeq(), bytes(m.sequenceTrackerAsByteBuffer()),
                list(m.checkpointsLength(), i -> checkpoint(m.checkpoints(i))), m.walObjectStoreUri());
        return new Manifest(list(m.externalDbsLength(), i -> externalDb(m.externalDbs(i))), core,
                m.writerEpoch(), m.compactorEpoch());
    }

    /** Decodes a verified version-2 manifest, resolving its views through its table of SSTs. */
    static Manifest decodeV2(ByteBuffer buffer) {
        ManifestV2 m = ManifestV2.getRootAsManifestV2(buffer);
        Map<Ulid, CompactedSst> ssts = new HashMap<>();
        for (int i = 0; i < m.sstsLength(); i++) {
            CompactedSsTableV2 fb = m.ssts(i);
            CompactedSst sst = new CompactedSst(ulid(fb.id()), SstInfo.fromFlatBuffer(fb.info()),
                    fb.hasFormatVersion() ? fb.formatVersion() : CompactedSst.DEFAULT_FORMAT_VERSION);
            if (ssts.put(sst.id(), sst) != null) {
                throw new IllegalArgumentException("SST " + sst.id() + " is listed twice");
            }
        }
        LsmTree tree = new LsmTree(m.lastCompactedL0SstViewId() == null ? null : ulid(m.lastCompactedL0SstViewId()),
                null, list(m.l0Length(), i -> v2View(m.l0(i), ssts)),
                list(m.compactedLength(), i -> v2Run(m.compacted(i), ssts)));
        List<Segment> segments = list(m.segmentsLength(), i -> {
            io.slatedb.format.fb.Segment s = m.segments(i);
            LsmTree segmentTree = new LsmTree(
                    s.lastCompactedL0SstViewId() == null ? null : ulid(s.lastCompactedL0SstViewId()), null,
                    list(s.l0Length(), j -> v2View(s.l0(j), ssts)),
                    list(s.compactedLength(), j -> v2Run(s.compacted(j), ssts)));
            return new Segment(bytes(s.prefixAsByteBuffer()), segmentTree);
        });
        ManifestCore core = new ManifestCore(m.initialized(), tree, segments, m.segmentExtractorName(),
                nextWalSstId(m.walIdLastSeen()), m.replayAfterWalId(), m.lastL0ClockTick(), m.lastL0Seq(),
                m.recentSnapshotMinSeq(), bytes(m.sequenceTrackerAsByteBuffer()),
                list(m.checkpointsLength(), i -> checkpoint(m.checkpoints(i))), null);
        return new Manifest(list(m.externalDbsLength(), i -> externalDb(m.externalDbs(i))), core,
                m.writerEpoch(), m.compactorEpoch());
    }

    private static long nextWalSstId(long walIdLastSeen) {
        if (walIdLastSeen == -1L) {
            throw new IllegalArgumentException("wal_id_last_seen is the u64 maximum; no next WAL id exists");
        }
        return walIdLastSeen + 1;
    }

    private static SstView v1View(CompactedSsTable fb) {
        CompactedSst sst = new CompactedSst(ulid(fb.id()), SstInfo.fromFlatBuffer(fb.info()),
                fb.hasFormatVersion() ? fb.formatVersion() : CompactedSst.DEFAULT_FORMAT_VERSION);
        return new SstView(sst.id(), sst, keyRange(fb.visibleRange()));
    }

    private static SstView v2View(CompactedSsTableView fb, Map<Ulid, CompactedSst> ssts) {
        Ulid sstId = ulid(fb.sstId());
        CompactedSst sst = ssts.get(sstId);
        if (sst == null) {
            throw new IllegalArgumentException("a view refers to SST " + sstId + ", which the manifest does not list");
        }
        return new SstView(ulid(fb.id()), sst, keyRange(fb.visibleRange()));
    }

    private static SortedRun v2Run(SortedRunV2 fb, Map<Ulid, CompactedSst> ssts) {
        return new SortedRun(fb.id(), list(fb.sstsLength(), j -> v2View(fb.ssts(j), ssts)));
    }

    private static Checkpoint checkpoint(io.slatedb.format.fb.Checkpoint fb) {
        OptionalLong writerEpoch = OptionalLong.empty();
        if (fb.metadataType() == CheckpointMetadata.WriterCheckpoint) {
            WriterCheckpoint metadata = (WriterCheckpoint) fb.metadata(new WriterCheckpoint());
            writerEpoch = OptionalLong.of(metadata.epoch());
        }
        return new Checkpoint(uuid(fb.id()), fb.manifestId(), fb.checkpointExpireTimeS(), fb.checkpointCreateTimeS(),
                fb.name(), writerEpoch);
    }

    private static ExternalDb externalDb(io.slatedb.format.fb.ExternalDb fb) {
        return new ExternalDb(fb.path(), uuid(fb.sourceCheckpointId()),
                fb.finalCheckpointId() == null ? null : uuid(fb.finalCheckpointId()),
                list(fb.sstIdsLength(), i -> ulid(fb.sstIds(i))));
    }

    private static KeyRange keyRange(BytesRange fb) {
        return fb == null ? null : new KeyRange(keyBound(fb.startBound()), keyBound(fb.endBound()));
    }

    private static KeyBound keyBound(BytesBound fb) {
        byte[] key = bytes(fb.keyAsByteBuffer());
        KeyBound.Kind kind = switch (fb.boundType()) {
            case BoundType.Unbounded -> KeyBound.Kind.UNBOUNDED;
            case BoundType.Included -> KeyBound.Kind.INCLUDED;
            case BoundType.Excluded -> KeyBound.Kind.EXCLUDED;
            default -> throw new IllegalArgumentException("unknown key bound type " + fb.boundType());
        };
        return new KeyBound(kind, key);
    }

    private static Ulid ulid(io.slatedb.format.fb.Ulid fb) {
        return new Ulid(fb.high(), fb.low());
    }

    private static UUID uuid(Uuid fb) {
        return new UUID(fb.high(), fb.low());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static <T> List<T> list(int length, IntFunction<T> element) {
        List<T> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            out.add(element.apply(i));
        }
        return out;
    }
}
