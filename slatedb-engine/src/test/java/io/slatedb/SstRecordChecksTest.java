package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.LsmTree;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.SstInfo;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a manifest says of its SSTs and of the WAL is checked against the objects when they are read: a
 * missing SST, an SST record that differs from the SST's footer (even one that only hides a key from a
 * get), and an L0 sequence watermark above every WAL row are DATA errors naming the objects.
 */
@Timeout(60)
class SstRecordChecksTest {
    private static final String PATH = "db";
    private static final DbLayout LAYOUT = DbLayout.of(PATH);
    private static final Settings SETTINGS = Settings.builder().compactorOptions(null).garbageCollectorOptions(null)
            .build();

    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @Test
    void aMissingSstIsADataErrorNamingItAndTheManifest() {
        SstView l0 = writeOneL0Sst();
        String sst = LAYOUT.compactedSstPath(l0.sst().id());
        Futures.join(store.delete(sst));
        try (DbReader reader = DbReader.open(PATH, store)) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> reader.get(bytes("k1")));
            assertData(e, sst, "there is no such object");
            assertTrue(e.getMessage().contains("manifest db/manifest/"), e.getMessage());
        }
    }

    @Test
    void aRecordedKeyRangeThatHidesAKeyFromAGetIsCaught() {
        SstView l0 = writeOneL0Sst();
        // The record now starts after k1, so a get of k1 would skip the SST without opening it.
        replaceLatestManifest(m -> withL0Info(m, l0, info -> new SstInfo(bytes("k2"), info.indexOffset(),
                info.indexLength(), info.filterOffset(), info.filterLength(), info.compression(), info.type(),
                info.lastEntry(), info.statsOffset(), info.statsLength(), info.filterFormat())));
        try (DbReader reader = DbReader.open(PATH, store)) {
            SlateDbException e = assertThrows(SlateDbException.class, () -> reader.get(bytes("k1")));
            assertData(e, LAYOUT.compactedSstPath(l0.sst().id()), "the first key differs");
        }
    }

    @Test
    void anL0WatermarkAboveEveryWalRowIsRefusedByWriterAndReader() {
        Db db = Db.builder(PATH, store).withSettings(SETTINGS).build();
        try {
            db.put(bytes("k1"), bytes("v1"));
            db.flush(FlushType.MEMTABLE);
            db.put(bytes("k2"), bytes("v2"));
            db.flush(FlushType.WAL);
            // Keep the row in the WAL only: stop without the L0 flush a clean close makes.
            String bad = replaceLatestManifest(m -> m.withCore(m.core().toBuilder()
                    .lastL0Seq(m.core().lastL0Seq() + 1000).build()));
            SlateDbException e = assertThrows(SlateDbException.class,
                    () -> Db.builder(PATH, store).withSettings(SETTINGS).build().close());
            assertData(e, bad, "last_l0_seq");
            // The writer's claim already copied the watermark into a newer manifest, which the reader names.
            e = assertThrows(SlateDbException.class, () -> DbReader.open(PATH, store).close());
            assertData(e, "db/manifest/", "last_l0_seq");
        } finally {
            // The refused writer's claim fenced this one, which may say so on close.
            try {
                db.close();
            } catch (SlateDbException fenced) {
                assertEquals(ErrorKind.CLOSED, fenced.kind());
            }
        }
    }

    private SstView writeOneL0Sst() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            db.put(bytes("k1"), bytes("v1"));
            db.put(bytes("k3"), bytes("v3"));
        }
        return latest().core().l0().get(0);
    }

    private Manifest latest() {
        try (Admin admin = Admin.builder(PATH, store).build()) {
            return admin.readManifest().orElseThrow().internal();
        }
    }

    /** Writes {@code change} of the latest manifest as the next one, as damage would leave it; returns its path. */
    private String replaceLatestManifest(UnaryOperator<Manifest> change) {
        long id;
        Manifest manifest;
        try (Admin admin = Admin.builder(PATH, store).build()) {
            ManifestSnapshot snapshot = admin.readManifest().orElseThrow();
            id = snapshot.id();
            manifest = snapshot.internal();
        }
        String path = LAYOUT.manifestPath(id + 1);
        Futures.join(store.put(path, ManifestCodec.encode(change.apply(manifest))));
        return path;
    }

    private static Manifest withL0Info(Manifest m, SstView view, UnaryOperator<SstInfo> change) {
        CompactedSst sst = view.sst();
        SstView changed = new SstView(view.id(), new CompactedSst(sst.id(), change.apply(sst.info()), sst.formatVersion()),
                view.visibleRange());
        LsmTree tree = m.core().tree();
        return m.withCore(m.core().toBuilder().tree(new LsmTree(tree.lastCompactedL0ViewId(),
                tree.lastCompactedL0SstId(), List.of(changed), tree.compacted())).build());
    }

    private static void assertData(SlateDbException e, String object, String problem) {
        assertEquals(ErrorKind.DATA, e.kind(), e.toString());
        assertTrue(e.getMessage().contains(object) && e.getMessage().contains(problem), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
