package io.slatedb.manifest;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestModelTest {

    @Test
    void initialCoreIsSlateDbsNewDatabase() {
        ManifestCore core = ManifestCore.initial();
        assertTrue(core.initialized());
        assertEquals(1, core.nextWalSstId());
        assertEquals(0, core.replayAfterWalId());
        assertEquals(Long.MIN_VALUE, core.lastL0ClockTick());
        assertEquals(0, core.lastL0Seq());
        assertEquals(0, core.recentSnapshotMinSeq());
        assertEquals(List.of(), core.l0());
        assertEquals(List.of(), core.compacted());
        assertEquals(List.of(), core.checkpoints());
        assertNull(core.walObjectStoreUri());
        assertFalse(core.isSegmented());
        Manifest manifest = Manifest.initial(core);
        assertEquals(0, manifest.writerEpoch());
        assertEquals(0, manifest.compactorEpoch());
        assertEquals(List.of(), manifest.externalDbs());
    }

    @Test
    void theNextWalIdIsNeverZero() {
        assertThrows(IllegalArgumentException.class, () -> new ManifestCore(true, LsmTree.empty(), List.of(), null, 0,
                0, 0, 0, 0, null, List.of(), null));
    }

    @Test
    void checkpointTimesAreU32SecondsAndZeroExpiryMeansNever() {
        UUID id = UUID.randomUUID();
        Checkpoint never = new Checkpoint(id, 1, 0, 100, null);
        assertEquals(Optional.empty(), never.expireTime());
        assertFalse(never.isExpiredAt(Instant.ofEpochSecond(Checkpoint.MAX_TIME_SECONDS)));
        Checkpoint expiring = new Checkpoint(id, 1, 4_000_000_000L, 100, "n");
        assertEquals(Optional.of(Instant.ofEpochSecond(4_000_000_000L)), expiring.expireTime());
        assertFalse(expiring.isExpiredAt(Instant.ofEpochSecond(3_999_999_999L)));
        assertTrue(expiring.isExpiredAt(Instant.ofEpochSecond(4_000_000_000L)));
        assertEquals(Instant.ofEpochSecond(100), expiring.createTime());
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(id, 1, -1, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(id, 1, 0, 1L << 32, null));
    }

    @Test
    void boundsCarryAKeyExactlyWhenBounded() {
        assertNull(KeyBound.unbounded().key());
        assertThrows(IllegalArgumentException.class, () -> new KeyBound(KeyBound.Kind.UNBOUNDED, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new KeyBound(KeyBound.Kind.INCLUDED, null));
        assertEquals(KeyBound.included(new byte[] {1}), new KeyBound(KeyBound.Kind.INCLUDED, new byte[] {1}));
        assertFalse(KeyBound.included(new byte[] {1}).equals(KeyBound.excluded(new byte[] {1})));
    }

    @Test
    void byteArraysAreCopiedSoValuesStayImmutable() {
        byte[] key = {1, 2};
        KeyBound bound = KeyBound.included(key);
        key[0] = 9;
        bound.key()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, bound.key());
        byte[] tracker = {1, 0};
        ManifestCore core = new ManifestCore(true, LsmTree.empty(), List.of(), null, 1, 0, 0, 0, 0, tracker, List.of(),
                null);
        tracker[0] = 5;
        core.sequenceTracker()[1] = 5;
        assertArrayEquals(new byte[] {1, 0}, core.sequenceTracker());
    }

    @Test
    void sortedRunIdsAreU32() {
        assertEquals(0xFFFF_FFFFL, new SortedRun(0xFFFF_FFFFL, List.of()).id());
        assertThrows(IllegalArgumentException.class, () -> new SortedRun(-1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SortedRun(1L << 32, List.of()));
    }

    @Test
    void sstFormatVersionsAreU16() {
        var info = ManifestArbitraries.manyViews(1).get(0).sst().info();
        var id = ManifestArbitraries.manyViews(1).get(0).id();
        assertThrows(IllegalArgumentException.class, () -> new CompactedSst(id, info, 0x1_0000));
        assertThrows(IllegalArgumentException.class, () -> new CompactedSst(id, info, -1));
    }
}
