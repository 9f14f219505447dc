package io.slatedb.manifest;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ManifestRoundTripTest {

    @Provide
    Arbitrary<Manifest> v1Manifests() {
        return ManifestArbitraries.v1Manifests();
    }

    @Provide
    Arbitrary<Manifest> v2Manifests() {
        return ManifestArbitraries.v2Manifests();
    }

    @Property(tries = 300)
    void unsegmentedManifestsRoundTripAsVersion1(@ForAll("v1Manifests") Manifest manifest) {
        byte[] bytes = ManifestCodec.encode(manifest);
        assertEquals(ManifestCodec.VERSION_1, ByteBuffer.wrap(bytes).getShort());
        assertEquals(0L, manifestIdField(bytes), "manifest_id is always 0");
        Manifest decoded = ManifestCodec.decode("manifest/x.manifest", bytes);
        assertEquals(manifest, decoded);
        assertArrayEquals(bytes, ManifestCodec.encode(decoded));
    }

    @Property(tries = 200)
    void segmentedManifestsRoundTripAsVersion2(@ForAll("v2Manifests") Manifest manifest) {
        byte[] bytes = ManifestCodec.encode(manifest);
        assertEquals(ManifestCodec.VERSION_2, ByteBuffer.wrap(bytes).getShort());
        assertEquals(manifest, ManifestCodec.decode("manifest/x.manifest", bytes));
    }

    @Test
    void largeListsRoundTrip() {
        List<SstView> views = ManifestArbitraries.manyViews(3000);
        List<SortedRun> runs = new ArrayList<>();
        for (int run = 0; run < 100; run++) {
            runs.add(new SortedRun(99 - run, views.subList(run * 20, run * 20 + 20)));
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            checkpoints.add(new Checkpoint(new UUID(i, -i), i, i % 2 == 0 ? 0 : 4_000_000_000L, 1_700_000_000L,
                    i % 3 == 0 ? null : "checkpoint-" + i));
        }
        ManifestCore core = new ManifestCore(true, new LsmTree(views.get(2999).id(), views.get(2999).id(),
                views.subList(2000, 3000), runs), List.of(), null, 123_456, 123_000, 1_700_000_000_000L, 99, 98,
                new byte[8192], checkpoints, null);
        Manifest manifest = new Manifest(List.of(new ExternalDb("parent", new UUID(1, 2), null,
                views.stream().map(SstView::id).toList())), core, 7, 8);
        byte[] bytes = ManifestCodec.encode(manifest);
        assertEquals(manifest, ManifestCodec.decode("manifest/big.manifest", bytes));
    }

    @Test
    void emptyAndAbsentAreDistinct() {
        ManifestCore absent = new ManifestCore(true, LsmTree.empty(), List.of(), null, 1, 0, Long.MIN_VALUE, 0, 0,
                null, List.of(new Checkpoint(new UUID(0, 0), 0, 0, 0, null)), null);
        ManifestCore empty = new ManifestCore(true, LsmTree.empty(), List.of(), null, 1, 0, Long.MIN_VALUE, 0, 0,
                new byte[0], List.of(new Checkpoint(new UUID(0, 0), 0, 0, 0, "")), "");
        for (ManifestCore core : List.of(absent, empty)) {
            Manifest manifest = Manifest.initial(core);
            assertEquals(manifest, ManifestCodec.decode("m", ManifestCodec.encode(manifest)));
        }
        assertEquals(null, ManifestCodec.decode("m", ManifestCodec.encode(Manifest.initial(absent))).core()
                .walObjectStoreUri());
    }

    @Test
    void stringsThatAreNotUnicodeAreRefused() {
        ManifestCore core = new ManifestCore(true, LsmTree.empty(), List.of(), null, 1, 0, 0, 0, 0, null,
                List.of(new Checkpoint(new UUID(0, 0), 0, 0, 0, "bad \uD800 surrogate")), null);
        assertThrows(IllegalArgumentException.class, () -> ManifestCodec.encode(Manifest.initial(core)));
    }

    @Test
    void aSegmentedManifestCannotRecordASeparateWalStore() {
        ManifestCore core = new ManifestCore(true, LsmTree.empty(), List.of(), "extractor", 1, 0, 0, 0, 0, null,
                List.of(), "");
        assertThrows(IllegalArgumentException.class, () -> ManifestCodec.encode(Manifest.initial(core)));
    }

    /** Reads manifest_id (vtable slot 0) straight from the FlatBuffer, 0 when absent. */
    private static long manifestIdField(byte[] object) {
        ByteBuffer fb = ByteBuffer.wrap(object, 2, object.length - 2).slice().order(ByteOrder.LITTLE_ENDIAN);
        int table = fb.getInt(0);
        int vtable = table - fb.getInt(table);
        int fieldOffset = fb.getShort(vtable + 4);
        return fieldOffset == 0 ? 0 : fb.getLong(table + fieldOffset);
    }
}
