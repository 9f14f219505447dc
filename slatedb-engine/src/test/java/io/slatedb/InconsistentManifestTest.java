package io.slatedb;

import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCodec;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ListPage;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A latest manifest that decodes but breaks the consistency rules (here: it claims WAL SSTs beyond the
 * last one it has seen are in L0, which would make recovery skip them) is refused by every process that
 * loads it, with a DATA error naming it, and nothing builds on it: no object is written.
 */
@Timeout(60)
class InconsistentManifestTest {
    private static final String PATH = "db";
    private static final DbLayout LAYOUT = DbLayout.of(PATH);
    private static final Settings SETTINGS = Settings.builder().compactorOptions(null).garbageCollectorOptions(null)
            .build();

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private String badManifest;

    @BeforeEach
    void writeADatabaseWhoseLatestManifestIsInconsistent() {
        try (Db db = Db.builder(PATH, store).withSettings(SETTINGS).build()) {
            db.put(bytes("k"), bytes("v"));
            db.flush(FlushType.MEMTABLE);
        }
        long latest;
        Manifest manifest;
        try (Admin admin = Admin.builder(PATH, store).build()) {
            ManifestSnapshot snapshot = admin.readManifest().orElseThrow();
            latest = snapshot.id();
            manifest = snapshot.internal();
        }
        Manifest bad = manifest.withCore(manifest.core().toBuilder()
                .replayAfterWalId(manifest.core().nextWalSstId() + 5).build());
        badManifest = LAYOUT.manifestPath(latest + 1);
        Futures.join(store.put(badManifest, ManifestCodec.encode(bad)));
    }

    @Test
    void writerReaderCompactorAndAdminRefuseItAndWriteNothing() {
        Map<String, Long> before = objects();
        assertRefused(() -> Db.builder(PATH, store).withSettings(SETTINGS).build().close());
        assertRefused(() -> DbReader.open(PATH, store).close());
        assertRefused(() -> Compactor.builder(PATH, store).build().close());
        assertRefused(() -> {
            try (Admin admin = Admin.builder(PATH, store).build()) {
                admin.readManifest();
            }
        });
        assertEquals(before, objects(), "no process wrote anything on top of the inconsistent manifest");
    }

    private void assertRefused(Executable open) {
        SlateDbException e = assertThrows(SlateDbException.class, open);
        assertEquals(ErrorKind.DATA, e.kind(), e.toString());
        assertTrue(e.getMessage().contains(badManifest) && e.getMessage().contains("inconsistent manifest"),
                e.getMessage());
    }

    /** Every object's path and size. */
    private Map<String, Long> objects() {
        Map<String, Long> objects = new TreeMap<>();
        String after = null;
        while (true) {
            ListPage page = Futures.join(store.list("", after, 1000));
            page.objects().forEach(o -> objects.put(o.path(), o.size()));
            if (page.objects().isEmpty() || !page.truncated()) {
                return objects;
            }
            after = page.objects().get(page.objects().size() - 1).path();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
