package io.slatedb.manifest;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.CorruptObjectException;
import io.slatedb.CompressionCodec;
import io.slatedb.format.Ulid;
import io.slatedb.format.fb.BoundType;
import io.slatedb.format.fb.BytesBound;
import io.slatedb.format.fb.BytesRange;
import io.slatedb.format.fb.CheckpointMetadata;
import io.slatedb.format.fb.CompactedSsTableV2;
import io.slatedb.format.fb.CompactedSsTableView;
import io.slatedb.format.fb.ManifestV2;
import io.slatedb.format.fb.SortedRunV2;
import io.slatedb.format.fb.Uuid;
import io.slatedb.format.fb.WriterCheckpoint;
import io.slatedb.sst.FilterFormat;
import io.slatedb.sst.SstInfo;
import io.slatedb.sst.SstType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Version-2 manifests built directly with the generated FlatBuffers builders, as SlateDB lays them out. */
class ManifestV2DecodeTest {
    private static final Ulid SST_A = Ulid.parse("01HZZZZZZZZZZZZZZZZZZZZZZA");
    private static final Ulid SST_B = Ulid.parse("01HZZZZZZZZZZZZZZZZZZZZZZB");
    private static final Ulid VIEW_1 = Ulid.parse("01J00000000000000000000001");
    private static final Ulid VIEW_2 = Ulid.parse("01J00000000000000000000002");
    private static final Ulid VIEW_3 = Ulid.parse("01J00000000000000000000003");
    private static final Ulid VIEW_4 = Ulid.parse("01J00000000000000000000004");
    private static final Ulid MARKER = Ulid.parse("01J00000000000000000000009");
    private static final UUID CHECKPOINT = UUID.fromString("6f1c3a52-9d0e-4b7a-8c61-2f4e5d6a7b8c");
    private static final SstInfo INFO_A = new SstInfo(bytes("a"), 100, 20, 80, 20, CompressionCodec.SNAPPY,
            SstType.COMPACTED, bytes("m"), 120, 30, FilterFormat.COMPOSITE);
    private static final SstInfo INFO_B = new SstInfo(bytes("p/1"), 200, 25, 0, 0, CompressionCodec.NONE,
            SstType.COMPACTED, bytes("p/9"), 225, 40, FilterFormat.LEGACY);

    @Test
    void resolvesViewsThroughTheSstTableAndReadsSegments() {
        Manifest decoded = ManifestCodec.decode("db/manifest/00000000000000000042.manifest", richV2(false, false));

        CompactedSst a = new CompactedSst(SST_A, INFO_A, 1); // format_version absent: 1
        CompactedSst b = new CompactedSst(SST_B, INFO_B, 2);
        LsmTree tree = new LsmTree(MARKER, null,
                List.of(new SstView(VIEW_1, a, new KeyRange(KeyBound.included(bytes("b")), KeyBound.unbounded())),
                        new SstView(VIEW_2, b, null)),
                List.of(new SortedRun(0xFFFF_FFFFL, List.of(new SstView(VIEW_3, a,
                        new KeyRange(KeyBound.excluded(bytes("a")), KeyBound.included(bytes("z"))))))));
        Segment segment = new Segment(bytes("p/"), new LsmTree(null, null, List.of(new SstView(VIEW_4, b, null)),
                List.of()));
        Checkpoint checkpoint = new Checkpoint(CHECKPOINT, 41, 0, 1_700_000_000L, "before-upgrade", OptionalLong.of(3));
        ManifestCore core = new ManifestCore(true, tree, List.of(segment), "prefix-extractor/v1", 10, 8, -5, 100, 90,
                null, List.of(checkpoint), null);
        assertEquals(new Manifest(List.of(), core, -1L, Long.MIN_VALUE), decoded);
        // The same SST, reached through two views, is one value.
        assertEquals(decoded.core().l0().get(0).sst(), decoded.core().compacted().get(0).ssts().get(0).sst());
    }

    @Test
    void aViewOfAnUnlistedSstIsCorrupt() {
        CorruptObjectException e = assertThrows(CorruptObjectException.class,
                () -> ManifestCodec.decode("db/manifest/7.manifest", richV2(true, false)));
        assertEquals("db/manifest/7.manifest", e.objectPath());
        assertTrue(e.getMessage().contains("does not list"), e.getMessage());
    }

    @Test
    void anSstListedTwiceIsCorrupt() {
        CorruptObjectException e = assertThrows(CorruptObjectException.class,
                () -> ManifestCodec.decode("db/manifest/7.manifest", richV2(false, true)));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }

    @Test
    void segmentedManifestsAreWrittenBackAsVersion2() {
        Manifest decoded = ManifestCodec.decode("m", richV2(false, false));
        byte[] encoded = ManifestCodec.encode(decoded);
        assertEquals(2, ByteBuffer.wrap(encoded).getShort());
        assertEquals(decoded, ManifestCodec.decode("m", encoded));
    }

    /**
     * A version-2 manifest object. {@code danglingView} makes the segment's view refer to an SST the
     * table does not list; {@code duplicateSst} lists SST B twice.
     */
    private static byte[] richV2(boolean danglingView, boolean duplicateSst) {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        int sstA = sstV2(b, SST_A, INFO_A, null);
        int sstB = sstV2(b, SST_B, INFO_B, 2);
        int[] sstOffsets = duplicateSst ? new int[] {sstA, sstB, sstV2(b, SST_B, INFO_B, 2)} : new int[] {sstA, sstB};
        int ssts = ManifestV2.createSstsVector(b, sstOffsets);
        int l0 = ManifestV2.createL0Vector(b, new int[] {
                view(b, VIEW_1, SST_A, range(b, BoundType.Included, "b", BoundType.Unbounded, null)),
                view(b, VIEW_2, SST_B, 0)});
        int run = SortedRunV2.createSortedRunV2(b, 0xFFFF_FFFFL, SortedRunV2.createSstsVector(b, new int[] {
                view(b, VIEW_3, SST_A, range(b, BoundType.Excluded, "a", BoundType.Included, "z"))}));
        int compacted = ManifestV2.createCompactedVector(b, new int[] {run});
        int marker = ulid(b, MARKER);
        int segmentL0 = io.slatedb.format.fb.Segment.createL0Vector(b, new int[] {
                view(b, VIEW_4, danglingView ? VIEW_4 : SST_B, 0)});
        int segment = io.slatedb.format.fb.Segment.createSegment(b,
                b.createByteVector(bytes("p/")), 0, segmentL0, io.slatedb.format.fb.Segment.createCompactedVector(b,
                        new int[0]));
        int segments = ManifestV2.createSegmentsVector(b, new int[] {segment});
        int checkpointId = Uuid.createUuid(b, CHECKPOINT.getMostSignificantBits(), CHECKPOINT.getLeastSignificantBits());
        int name = b.createString("before-upgrade");
        int metadata = WriterCheckpoint.createWriterCheckpoint(b, 3);
        int checkpoint = io.slatedb.format.fb.Checkpoint.createCheckpoint(b, checkpointId, 41, 0, 1_700_000_000L,
                CheckpointMetadata.WriterCheckpoint, metadata, name);
        int checkpoints = ManifestV2.createCheckpointsVector(b, new int[] {checkpoint});
        int extractor = b.createString("prefix-extractor/v1");
        int root = ManifestV2.createManifestV2(b, 0, 0, true, -1L, Long.MIN_VALUE, 8, 9, marker, ssts, l0, compacted,
                -5, checkpoints, 100, 90, 0, segments, extractor);
        b.finish(root);
        byte[] flatBuffer = b.sizedByteArray();
        return ByteBuffer.allocate(2 + flatBuffer.length).putShort((short) 2).put(flatBuffer).array();
    }

    private static int sstV2(FlatBufferBuilder b, Ulid id, SstInfo info, Integer formatVersion) {
        int idOffset = ulid(b, id);
        int infoOffset = info.writeTo(b);
        CompactedSsTableV2.startCompactedSsTableV2(b);
        CompactedSsTableV2.addInfo(b, infoOffset);
        CompactedSsTableV2.addId(b, idOffset);
        if (formatVersion != null) {
            CompactedSsTableV2.addFormatVersion(b, formatVersion);
        }
        return CompactedSsTableV2.endCompactedSsTableV2(b);
    }

    private static int view(FlatBufferBuilder b, Ulid id, Ulid sstId, int range) {
        int sst = ulid(b, sstId);
        int view = ulid(b, id);
        return CompactedSsTableView.createCompactedSsTableView(b, view, sst, range);
    }

    private static int range(FlatBufferBuilder b, byte startType, String startKey, byte endType, String endKey) {
        int start = BytesBound.createBytesBound(b, startKey == null ? 0 : b.createByteVector(bytes(startKey)), startType);
        int end = BytesBound.createBytesBound(b, endKey == null ? 0 : b.createByteVector(bytes(endKey)), endType);
        return BytesRange.createBytesRange(b, start, end);
    }

    private static int ulid(FlatBufferBuilder b, Ulid ulid) {
        return io.slatedb.format.fb.Ulid.createUlid(b, ulid.high(), ulid.low());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
