package io.slatedb.manifest;

import com.google.flatbuffers.FlatBufferBuilder;
import io.slatedb.CorruptObjectException;
import io.slatedb.ErrorKind;
import io.slatedb.format.fb.BytesBound;
import io.slatedb.format.fb.BytesRange;
import io.slatedb.format.fb.CompactedSsTable;
import io.slatedb.format.fb.ManifestV1;
import io.slatedb.format.fb.Uuid;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged manifest objects surface as {@link CorruptObjectException} naming the object, never as any
 * other exception; a damaged object may only decode when the damage hit a value rather than the
 * structure.
 */
class ManifestCorruptionTest {
    private static final String PATH = "db/manifest/00000000000000000009.manifest";
    private static final List<String> GOLDEN = List.of("new-database.manifest", "l0-reopened.manifest",
            "compacted-l0-and-run.manifest", "two-sorted-runs.manifest", "reader-checkpoint.manifest",
            "separate-wal-store.manifest", "zstd-with-filter.manifest", "clone-rewritten.manifest");

    @Test
    void objectsTooShortForAVersionAreCorrupt() {
        assertCorrupt(new byte[0], "no version");
        assertCorrupt(new byte[] {0}, "no version");
    }

    @Test
    void unknownVersionsAreCorrupt() {
        byte[] valid = GoldenManifestTest.read("l0-reopened.manifest");
        for (int version : new int[] {0, 3, 0x0100, 0xFFFF}) {
            byte[] bytes = valid.clone();
            bytes[0] = (byte) (version >> 8);
            bytes[1] = (byte) version;
            assertCorrupt(bytes, "unknown manifest version " + version);
        }
    }

    @Test
    void aVersionWithNoFlatBufferIsCorrupt() {
        assertCorrupt(new byte[] {0, 1}, "root offset");
        assertCorrupt(new byte[] {0, 2, 0, 0, 0, 0}, "");
    }

    @Test
    void everyTruncationIsCorruptUnlessOnlyPaddingWasCut() {
        for (byte[] full : samples()) {
            Manifest expected = ManifestCodec.decode(PATH, full);
            // Cutting the last byte that is not padding always breaks the object.
            assertCorrupt(Arrays.copyOf(full, full.length - 1 - trailingZeros(full)), "");
            for (int length = 0; length < full.length; length++) {
                Optional<Manifest> decoded = decodeOrCorrupt(Arrays.copyOf(full, length));
                if (decoded.isPresent()) {
                    byte[] cut = Arrays.copyOfRange(full, length, full.length);
                    assertTrue(isZero(cut), "only trailing padding may be cut, length " + length);
                    assertEquals(expected, decoded.get());
                }
            }
        }
    }

    @Test
    void everySingleBitFlipIsCorruptOrChangesOnlyValues() {
        for (byte[] full : samples()) {
            int corrupt = 0;
            for (int bit = 0; bit < full.length * 8; bit++) {
                byte[] damaged = full.clone();
                damaged[bit / 8] ^= (byte) (1 << (bit % 8));
                corrupt += decodeOrCorrupt(damaged).isEmpty() ? 1 : 0;
            }
            // Flips in the version, offsets, vtables and lengths must be caught: a good share of all bits.
            assertTrue(corrupt > full.length, corrupt + " of " + full.length * 8 + " flips detected");
        }
    }

    @Provide
    Arbitrary<byte[]> sampleObjects() {
        return Arbitraries.of(samples());
    }

    @Property(tries = 2000)
    void randomDamageIsCorruptOrChangesOnlyValues(@ForAll("sampleObjects") byte[] object,
                                                   @ForAll @IntRange(min = 1, max = 8) int writes,
                                                   @ForAll("seeds") long seed) {
        byte[] damaged = object.clone();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < writes; i++) {
            int at = 2 + random.nextInt(damaged.length - 2);
            damaged[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (damaged[at] ^ (1 << random.nextInt(8)));
        }
        decodeOrCorrupt(damaged);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Test
    void aMissingRequiredFieldIsCorrupt() {
        // A ManifestV1 without its required l0 vector; the generated end method would refuse to build it.
        FlatBufferBuilder b = new FlatBufferBuilder();
        int empty = ManifestV1.createCompactedVector(b, new int[0]);
        b.startTable(16);
        ManifestV1.addCompacted(b, empty);
        ManifestV1.addCheckpoints(b, empty);
        b.finish(b.endTable());
        assertCorrupt(v1(b), "required field l0 is missing");
    }

    @Test
    void unknownBoundTypesAndBoundsWhoseKeyContradictsTheirTypeAreCorrupt() {
        assertCorrupt(withVisibleRange(b -> BytesBound.createBytesBound(b, b.createByteVector(new byte[] {1}), (byte) 0)),
                "unknown key bound type 0");
        assertCorrupt(withVisibleRange(b -> BytesBound.createBytesBound(b, b.createByteVector(new byte[] {1}), (byte) 9)),
                "unknown key bound type 9");
        assertCorrupt(withVisibleRange(b -> BytesBound.createBytesBound(b, 0, io.slatedb.format.fb.BoundType.Included)),
                "needs a key");
        assertCorrupt(withVisibleRange(b -> BytesBound.createBytesBound(b, b.createByteVector(new byte[0]),
                io.slatedb.format.fb.BoundType.Unbounded)), "has no key");
    }

    @Test
    void unknownSstEnumValuesAreCorrupt() {
        Manifest manifest = withOneSst();
        byte[] bytes = ManifestCodec.encode(manifest);
        // Patch the compression byte of the only SsTableInfo.
        int at = indexOfCompressionByte(bytes);
        bytes[at] = 7;
        assertCorrupt(bytes, "unknown compression format 7");
    }

    @Test
    void unknownCheckpointMetadataIsCorrupt() {
        FlatBufferBuilder b = new FlatBufferBuilder();
        int id = Uuid.createUuid(b, 1, 2);
        int checkpoint = io.slatedb.format.fb.Checkpoint.createCheckpoint(b, id, 1, 0, 0, (byte) 2,
                Uuid.createUuid(b, 3, 4), 0);
        assertCorrupt(v1WithCheckpoint(b, checkpoint), "unknown checkpoint metadata type 2");

        b = new FlatBufferBuilder();
        id = Uuid.createUuid(b, 1, 2);
        checkpoint = io.slatedb.format.fb.Checkpoint.createCheckpoint(b, id, 1, 0, 0, (byte) 1, 0, 0);
        assertCorrupt(v1WithCheckpoint(b, checkpoint), "type without a value");
    }

    @Test
    void invalidUtf8IsCorrupt() {
        FlatBufferBuilder b = new FlatBufferBuilder();
        int id = Uuid.createUuid(b, 1, 2);
        int name = b.createString(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xC3, (byte) 0x28}));
        int checkpoint = io.slatedb.format.fb.Checkpoint.createCheckpoint(b, id, 1, 0, 0, (byte) 0, 0, name);
        assertCorrupt(v1WithCheckpoint(b, checkpoint), "not valid UTF-8");
    }

    @Test
    void aWalIdAtTheU64MaximumIsCorrupt() {
        FlatBufferBuilder b = new FlatBufferBuilder();
        b.finish(ManifestV1.createManifestV1(b, 0, 0, true, 1, 0, 0, -1L, 0, emptyVector(b), emptyVector(b), 0,
                emptyVector(b), 0, 0, 0, 0));
        assertCorrupt(v1(b), "wal_id_last_seen");
    }

    @Test
    void aliasedOffsetsAreRejectedInsteadOfAmplified() {
        // 2000 sorted runs that are all the same run, whose 2000 SSTs are all the same SST: 4 million
        // SSTs to decode from 16 KB. SlateDB never shares objects, so this can only be damage or malice.
        Manifest one = withOneSst();
        FlatBufferBuilder b = new FlatBufferBuilder();
        int ulid = io.slatedb.format.fb.Ulid.createUlid(b, 1, 2);
        int info = one.core().l0().get(0).sst().info().writeTo(b);
        int sst = CompactedSsTable.createCompactedSsTable(b, ulid, info, 0, 2);
        int ssts = io.slatedb.format.fb.SortedRun.createSstsVector(b, repeat(sst, 2000));
        int run = io.slatedb.format.fb.SortedRun.createSortedRun(b, 1, ssts);
        int runs = ManifestV1.createCompactedVector(b, repeat(run, 2000));
        b.finish(ManifestV1.createManifestV1(b, 0, 0, true, 1, 0, 0, 0, 0, emptyVector(b), runs, 0, emptyVector(b),
                0, 0, 0, 0));
        assertCorrupt(v1(b), "referenced a second time");
    }

    /** A new empty vector: SlateDB's writers never share one between fields. */
    private static int emptyVector(FlatBufferBuilder b) {
        return ManifestV1.createL0Vector(b, new int[0]);
    }

    @Test
    void fieldsSharingAVectorAreCorrupt() {
        // What a damaged offset does: the sorted runs field now points at the (empty) checkpoints vector.
        FlatBufferBuilder b = new FlatBufferBuilder();
        int shared = emptyVector(b);
        b.finish(ManifestV1.createManifestV1(b, 0, 0, true, 1, 0, 0, 0, 0, emptyVector(b), shared, 0, shared,
                0, 0, 0, 0));
        assertCorrupt(v1(b), "referenced a second time");
    }

    private static int[] repeat(int offset, int count) {
        int[] out = new int[count];
        Arrays.fill(out, offset);
        return out;
    }

    private static byte[] withVisibleRange(ToIntFunction<FlatBufferBuilder> startBound) {
        FlatBufferBuilder b = new FlatBufferBuilder();
        Manifest one = withOneSst();
        int ulid = io.slatedb.format.fb.Ulid.createUlid(b, 1, 2);
        int info = one.core().l0().get(0).sst().info().writeTo(b);
        int start = startBound.applyAsInt(b);
        int end = BytesBound.createBytesBound(b, 0, io.slatedb.format.fb.BoundType.Unbounded);
        int range = BytesRange.createBytesRange(b, start, end);
        int sst = CompactedSsTable.createCompactedSsTable(b, ulid, info, range, 2);
        int l0 = ManifestV1.createL0Vector(b, new int[] {sst});
        b.finish(ManifestV1.createManifestV1(b, 0, 0, true, 1, 0, 0, 0, 0, l0, emptyVector(b), 0, emptyVector(b),
                0, 0, 0, 0));
        return v1(b);
    }

    private static byte[] v1WithCheckpoint(FlatBufferBuilder b, int checkpoint) {
        int checkpoints = ManifestV1.createCheckpointsVector(b, new int[] {checkpoint});
        b.finish(ManifestV1.createManifestV1(b, 0, 0, true, 1, 0, 0, 0, 0, emptyVector(b), emptyVector(b), 0,
                checkpoints, 0, 0, 0, 0));
        return v1(b);
    }

    private static byte[] v1(FlatBufferBuilder b) {
        byte[] flatBuffer = b.sizedByteArray();
        return ByteBuffer.allocate(2 + flatBuffer.length).putShort((short) 1).put(flatBuffer).array();
    }

    private static Manifest withOneSst() {
        ManifestCore core = new ManifestCore(true, new LsmTree(null, null, ManifestArbitraries.manyViews(1), List.of()),
                List.of(), null, 1, 0, 0, 0, 0, null, List.of(), null);
        return Manifest.initial(core);
    }

    /** The compression byte of the only SST: the one byte that differs between LZ4 and Zstd encodings. */
    private static int indexOfCompressionByte(byte[] lz4) {
        Manifest one = withOneSst();
        SstView view = one.core().l0().get(0);
        io.slatedb.sst.SstInfo i = view.sst().info();
        io.slatedb.sst.SstInfo zstd = new io.slatedb.sst.SstInfo(i.firstEntry(), i.indexOffset(), i.indexLength(),
                i.filterOffset(), i.filterLength(), io.slatedb.CompressionCodec.ZSTD, i.type(), i.lastEntry(),
                i.statsOffset(), i.statsLength(), i.filterFormat());
        byte[] other = ManifestCodec.encode(Manifest.initial(new ManifestCore(true, new LsmTree(null, null,
                List.of(SstView.of(new CompactedSst(view.id(), zstd, 2))), List.of()), List.of(), null, 1, 0, 0, 0, 0,
                null, List.of(), null)));
        int found = -1;
        for (int j = 0; j < lz4.length; j++) {
            if (lz4[j] != other[j]) {
                assertEquals(-1, found, "exactly one byte differs");
                found = j;
            }
        }
        return found;
    }

    /** Golden manifests plus one of our own with every optional field present. */
    private static List<byte[]> samples() {
        UUID id = new UUID(0x1234_5678_9ABC_DEF0L, 0x0FED_CBA9_8765_4321L);
        List<SstView> views = ManifestArbitraries.manyViews(3);
        SstView ranged = new SstView(views.get(0).id(), views.get(0).sst(),
                new KeyRange(KeyBound.included(new byte[] {1, 2}), KeyBound.excluded(new byte[] {9})));
        ManifestCore core = new ManifestCore(true, new LsmTree(views.get(2).id(), views.get(2).id(),
                List.of(ranged, views.get(1)), List.of(new SortedRun(3, List.of(views.get(2))))), List.of(), null, 12,
                11, 1_700_000_000_000L, 50, 49, new byte[] {1, 2, 3},
                List.of(new Checkpoint(id, 9, 1_800_000_000L, 1_700_000_000L, "näme", java.util.OptionalLong.of(4))), "");
        Manifest rich = new Manifest(List.of(new ExternalDb("parent/db", id, id, List.of(views.get(1).id()))), core,
                3, 2);
        List<byte[]> out = new java.util.ArrayList<>();
        GOLDEN.forEach(file -> out.add(GoldenManifestTest.read(file)));
        out.add(ManifestCodec.encode(rich));
        Manifest segmented = new Manifest(List.of(), new ManifestCore(true, core.tree(),
                List.of(new Segment(new byte[] {7}, core.tree())), "x", 12, 11, 0, 0, 0, null, List.of(), null), 1, 1);
        out.add(ManifestCodec.encode(segmented));
        return out;
    }

    private static Optional<Manifest> decodeOrCorrupt(byte[] bytes) {
        try {
            return Optional.of(ManifestCodec.decode(PATH, bytes));
        } catch (CorruptObjectException e) {
            assertEquals(PATH, e.objectPath());
            assertEquals(ErrorKind.DATA, e.kind());
            return Optional.empty();
        }
    }

    private static void assertCorrupt(byte[] bytes, String problem) {
        CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> ManifestCodec.decode(PATH, bytes));
        assertEquals(PATH, e.objectPath());
        assertEquals(ErrorKind.DATA, e.kind());
        assertTrue(e.getMessage().contains(PATH), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    /** How many zero bytes end {@code bytes}. */
    private static int trailingZeros(byte[] bytes) {
        int zeros = 0;
        while (bytes[bytes.length - 1 - zeros] == 0) {
            zeros++;
        }
        return zeros;
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
