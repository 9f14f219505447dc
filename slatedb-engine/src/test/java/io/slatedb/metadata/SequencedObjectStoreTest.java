package io.slatedb.metadata;

import io.slatedb.CorruptObjectException;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SequencedObjectStoreTest {
    private final InMemoryObjectStore backing = new InMemoryObjectStore();
    private final FaultInjectingObjectStore store = new FaultInjectingObjectStore(backing);
    private final BoundaryFile boundary = new BoundaryFile(store, "db/gc/manifest.boundary");

    @AfterEach
    void close() {
        store.close();
    }

    private SequencedObjectStore<Counter> sequence(ObjectStore on) {
        return new SequencedObjectStore<>(on, "db/manifest", "manifest", Counter.CODEC,
                new BoundaryFile(on, "db/gc/manifest.boundary"));
    }

    @Test
    void namesVersionsWithTwentyDigitIdsAndParsesThemBack() {
        SequencedObjectStore<Counter> seq = sequence(store);
        assertEquals("db/manifest/00000000000000000007.manifest", seq.path(7));
        assertEquals(7, seq.parseId("db/manifest/00000000000000000007.manifest").getAsLong());
        assertTrue(seq.parseId("db/manifest/00000000000000000007.compactions").isEmpty());
        assertTrue(seq.parseId("db/manifest/notanid.manifest").isEmpty());
        assertTrue(seq.parseId("db/manifest/sub/00000000000000000007.manifest").isEmpty());
        assertTrue(seq.parseId("other/00000000000000000007.manifest").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> seq.path(0));
    }

    @Test
    void aSequenceWithNoVersionsHasNoLatest() {
        assertEquals(Optional.empty(), Futures.join(sequence(store).readLatest()));
    }

    @Test
    void eachIdCanBeCommittedOnlyOnce() {
        SequencedObjectStore<Counter> seq = sequence(store);
        Futures.join(seq.create(1, new Counter(0, 1)));
        ObjectVersionExistsException e = assertThrows(ObjectVersionExistsException.class,
                () -> Futures.join(seq.create(1, new Counter(0, 99))));
        assertTrue(e.getMessage().contains("00000000000000000001.manifest"), e.getMessage());
        assertEquals(new Counter(0, 1), Futures.join(seq.read(1)).orElseThrow().value());
    }

    @Test
    void latestIsFoundByProbingFromTheLastVersionSeenWithoutListing() {
        SequencedObjectStore<Counter> reader = sequence(store);
        SequencedObjectStore<Counter> writer = sequence(backing);
        Futures.join(writer.create(1, new Counter(0, 1)));
        assertEquals(1, Futures.join(reader.readLatest()).orElseThrow().id()); // first read lists
        for (long id = 2; id <= 4; id++) {
            Futures.join(writer.create(id, new Counter(0, id)));
        }
        store.clearCalls();
        assertEquals(4, Futures.join(reader.readLatest()).orElseThrow().id());
        assertEquals(List.of(), store.calls(Operation.LIST), "three newer versions are found by probing");
    }

    @Test
    void probingGivesWayToListingWhenFarBehind() {
        SequencedObjectStore<Counter> reader = sequence(store);
        SequencedObjectStore<Counter> writer = sequence(backing);
        Futures.join(writer.create(1, new Counter(0, 1)));
        Futures.join(reader.readLatest());
        for (long id = 2; id <= 12; id++) {
            Futures.join(writer.create(id, new Counter(0, id)));
        }
        store.clearCalls();
        assertEquals(12, Futures.join(reader.readLatest()).orElseThrow().id());
        assertEquals(1, store.calls(Operation.LIST).size());
        assertTrue(store.calls(Operation.GET).size() <= SequencedObjectStore.MAX_PROBES + 2,
                "probes stop after " + SequencedObjectStore.MAX_PROBES + " hits: " + store.calls(Operation.GET));
    }

    @Test
    void listingSkipsObjectsThatAreNotVersions() {
        SequencedObjectStore<Counter> seq = sequence(store);
        Futures.join(seq.create(1, new Counter(0, 1)));
        Futures.join(seq.create(2, new Counter(0, 2)));
        Futures.join(backing.put("db/manifest/garbage.manifest", new byte[] {1}));
        Futures.join(backing.put("db/manifest/00000000000000000009.tmp", new byte[] {1}));
        assertEquals(List.of(1L, 2L), Futures.join(seq.listIds()).stream().map(SequencedObjectStore.Listed::id).toList());
        assertEquals(2, Futures.join(sequence(store).readLatest()).orElseThrow().id());
    }

    @Test
    void aCommitAtOrBelowTheGcBoundaryCountsAsLost() {
        SequencedObjectStore<Counter> seq = sequence(store);
        Futures.join(seq.create(1, new Counter(0, 1)));
        Futures.join(boundary.advance(2));
        // A writer stalled across a GC run: its create succeeds, but GC has moved past the id.
        assertThrows(ObjectVersionExistsException.class, () -> Futures.join(seq.create(2, new Counter(0, 2))));
        assertEquals(3, Futures.join(seq.create(3, new Counter(0, 3))).id());
    }

    @Test
    void deletingAVersionAboveTheBoundaryIsRefused() {
        SequencedObjectStore<Counter> seq = sequence(store);
        Futures.join(seq.create(1, new Counter(0, 1)));
        Futures.join(seq.create(2, new Counter(0, 2)));
        SlateDbException refused = assertThrows(SlateDbException.class, () -> Futures.join(seq.delete(1)));
        assertEquals(ErrorKind.INTERNAL, refused.kind());
        Futures.join(boundary.advance(1));
        Futures.join(seq.delete(1));
        assertEquals(Optional.empty(), Futures.join(seq.read(1)));
        assertEquals(2, Futures.join(sequence(store).readLatest()).orElseThrow().id());
    }

    @Test
    void theBoundaryOnlyMovesForward() {
        assertEquals(0L, Futures.join(boundary.read()));
        Futures.join(boundary.advance(5));
        Futures.join(boundary.advance(3));
        assertEquals(5L, Futures.join(boundary.read()));
        Futures.join(boundary.advance(8));
        assertEquals(8L, Futures.join(boundary.read()));
        assertEquals("8", new String(Futures.join(backing.get("db/gc/manifest.boundary")).data(),
                StandardCharsets.US_ASCII));
    }

    @Test
    void aCorruptBoundaryIsADataErrorNamingIt() {
        Futures.join(backing.put("db/gc/manifest.boundary", "x1".getBytes(StandardCharsets.US_ASCII)));
        CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> Futures.join(boundary.read()));
        assertEquals("db/gc/manifest.boundary", e.objectPath());
    }

    @Test
    void aCorruptVersionIsADataErrorNamingIt() {
        Futures.join(backing.put("db/manifest/00000000000000000001.manifest", new byte[] {1, 2, 3}));
        CorruptObjectException e = assertThrows(CorruptObjectException.class,
                () -> Futures.join(sequence(store).readLatest()));
        assertEquals("db/manifest/00000000000000000001.manifest", e.objectPath());
    }
}
