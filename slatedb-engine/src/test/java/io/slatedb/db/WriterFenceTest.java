package io.slatedb.db;

import io.slatedb.CloseReason;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.format.DbLayout;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.manifest.ManifestStore;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectAlreadyExistsException;
import io.slatedb.util.Futures;
import io.slatedb.wal.WalObjects;
import io.slatedb.wal.WalWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class WriterFenceTest {
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(backing);
    private final DbLayout layout = DbLayout.of("db");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService uploads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        uploads.shutdownNow();
        store.close();
    }

    private WriterFence.Claimed claim() {
        return Futures.join(WriterFence.claim(store, store, layout, Duration.ofSeconds(10), SstWriterOptions.DEFAULTS));
    }

    private WalWriter walAfter(WriterFence.Claimed claimed) {
        return new WalWriter(store, layout, SstWriterOptions.DEFAULTS, claimed.fenceWalId() + 1, 0, 1 << 20, null,
                scheduler, uploads, WalWriter.Listener.NONE);
    }

    private Manifest latest() {
        return Futures.join(ManifestStore.sequence(backing, layout, true).readLatest()).orElseThrow().value();
    }

    @Test
    void aNewDatabaseGetsManifestOneThenEpochOneAndAFenceAtWalOne() {
        WriterFence.Claimed claimed = claim();
        assertEquals(1, claimed.manifest().epoch());
        assertEquals(1, claimed.fenceWalId());
        assertTrue(Futures.join(backing.head(layout.manifestPath(1))).size() > 0);
        assertEquals(1, latest().writerEpoch());
        assertEquals(List.of(), Futures.join(WalObjects.read(backing, layout, 1)).orElseThrow().rows());
        assertEquals(ManifestCore.initial(), Futures.join(ManifestStore.sequence(backing, layout, true).read(1))
                .orElseThrow().value().core());
    }

    @Test
    void aSecondWriterFencesTheFirstThroughBothTheWalAndTheManifest() {
        WriterFence.Claimed first = claim();
        WalWriter firstWal = walAfter(first);
        firstWal.append(List.of(RowEntry.value(new byte[] {1}, new byte[] {1}, 1).withCreateTs(1)));
        Futures.join(firstWal.flush()); // wal 2

        WriterFence.Claimed second = claim();
        assertEquals(2, second.manifest().epoch());
        assertEquals(3, second.fenceWalId(), "the fence goes after the first writer's last WAL file");

        // The first writer's next WAL file collides with the fence...
        firstWal.append(List.of(RowEntry.value(new byte[] {2}, new byte[] {2}, 2).withCreateTs(2)));
        SlateDbException walError = assertThrows(SlateDbException.class, () -> Futures.join(firstWal.flush()));
        assertEquals(CloseReason.FENCED, walError.closeReason());
        // ...and its manifest view is fenced too.
        SlateDbException manifestError = assertThrows(SlateDbException.class,
                () -> Futures.join(first.manifest().refresh()));
        assertEquals(ErrorKind.CLOSED, manifestError.kind());
        assertEquals(CloseReason.FENCED, manifestError.closeReason());
        assertEquals(Optional.of(List.of()), Futures.join(WalObjects.read(backing, layout, 3)).map(f -> f.rows()));
    }

    @Test
    void aWalIdTakenWhileFencingIsSkipped() {
        claim();
        // A stalled older writer takes the id the new fence wanted (simulated as a lost create race).
        store.inject(FaultRule.on(Operation.PUT, Fault.fail(ObjectAlreadyExistsException::new))
                .forPath(layout.walSstPath(2)).once());
        WriterFence.Claimed second = claim();
        assertEquals(3, second.fenceWalId());
        assertEquals(2, second.manifest().epoch());
    }

    @Test
    void anUnfinishedCloneCannotBeOpenedForWriting() {
        // As a clone's creation leaves it: not initialized, with the source it clones.
        Manifest uninitialized = Manifest.initial(ManifestCore.initial().toBuilder().initialized(false).build())
                .withExternalDbs(java.util.List.of(new io.slatedb.manifest.ExternalDb("src",
                        java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), java.util.List.of())));
        Futures.join(ManifestStore.sequence(backing, layout, true).create(1, uninitialized));
        SlateDbException e = assertThrows(SlateDbException.class, this::claim);
        assertEquals(ErrorKind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
    }
}
