package io.slatedb.db;

import io.slatedb.InternalManifests;
import io.slatedb.testing.GateStore;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.Admin;
import io.slatedb.Db;
import io.slatedb.FlushType;
import io.slatedb.PutOptions;
import io.slatedb.Settings;
import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.util.Futures;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every WAL id below a stored manifest's {@code next_wal_sst_id} names a file that exists: readers (the
 * change feed, checkpoint readers, SlateDB's own) take a missing one for a garbage-collected file. So an
 * L0 flush published while a newer WAL file is still uploading must not count that file.
 */
@Timeout(60)
class ManifestWalIdTest {
    private static final String PATH = "db";

    @Test
    void anL0FlushPublishedWhileAWalFileUploadsDoesNotCountIt() {
        Settings settings = Settings.builder().flushInterval(null).compactorOptions(null)
                .garbageCollectorOptions(null).build();
        DbLayout layout = DbLayout.of(PATH);
        try (InMemoryObjectStore memory = new InMemoryObjectStore()) {
            GateStore store = new GateStore(memory);
            Db db = Db.builder(PATH, store).withSettings(settings).build();
            try {
                // The memtable's L0 upload is held, so its manifest update waits.
                CompletableFuture<String> l0Held = store.shut(path -> path.startsWith(layout.compactedDir()));
                WriteHandle a = db.put(b("a"), b("1"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                CompletableFuture<Void> l0 = db.flushAsync(FlushType.MEMTABLE);
                Futures.join(l0Held);
                // The memtable's own WAL file must be stored before the WAL gate shuts: the L0 flush
                // publishes only once its rows are durable, so holding that file would hold the flush.
                Futures.join(a.durable());
                // A newer WAL file is cut and held in its upload; then the L0 upload goes ahead and publishes.
                CompletableFuture<String> walHeld = store.shut(path -> path.startsWith(layout.walDir()));
                db.put(b("b"), b("2"), PutOptions.DEFAULT, WriteOptions.NO_AWAIT);
                CompletableFuture<Void> wal = db.flushAsync(FlushType.WAL);
                Futures.join(walHeld);
                store.openHeldBefore();
                Futures.join(l0);

                try (Admin admin = Admin.builder(PATH, memory).build()) {
                    ManifestCore core = InternalManifests.of(admin.readManifest().orElseThrow()).core();
                    for (long id = core.replayAfterWalId() + 1; id < core.nextWalSstId(); id++) {
                        long walId = id;
                        boolean stored = Futures.join(memory.head(layout.walSstPath(id)).handle((m, e) -> e == null));
                        assertTrue(stored, () -> "manifest next_wal_sst_id " + core.nextWalSstId()
                                + " counts WAL file " + walId + ", which is not stored");
                    }
                }
                store.open();
                Futures.join(wal);
            } finally {
                store.open();
                db.close();
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
