package io.slatedb.checkpoint;

import io.slatedb.testing.MutableClock;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointInfo;
import io.slatedb.CheckpointOptions;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.metadata.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint changes as pure manifest mutations. */
@Timeout(30)
class CheckpointsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T07:00:00.750Z");
    private final MutableClock clock = new MutableClock(NOW);

    private static Manifest manifest(Checkpoint... checkpoints) {
        ManifestCore core = ManifestCore.initial().toBuilder().nextWalSstId(7).lastL0Seq(42)
                .checkpoints(List.of(checkpoints)).build();
        return new Manifest(List.of(), core, 3, 2);
    }

    private static Checkpoint checkpoint(long manifestId, long expire, String name) {
        return new Checkpoint(UUID.randomUUID(), manifestId, expire, 1_000, name);
    }

    @Test
    void newCheckpointPinsTheManifestThatAddsIt() {
        UUID id = UUID.randomUUID();
        Versioned<Manifest> base = new Versioned<>(12, manifest());
        Manifest next = Checkpoints.creating(id, CheckpointOptions.builder().name("nightly")
                .lifetime(Duration.ofMinutes(10)).build(), clock).apply(base).orElseThrow();
        Checkpoint c = Checkpoints.find(next, id).orElseThrow();
        assertEquals(13, c.manifestId());
        assertEquals(NOW.getEpochSecond(), c.createTimeSeconds());
        assertEquals(NOW.plusSeconds(600).getEpochSecond(), c.expireTimeSeconds()); // rounded down
        assertEquals("nightly", c.name());
        // Only the checkpoint list changed.
        assertEquals(base.value().withCore(base.value().core().toBuilder().checkpoints(List.of(c)).build()), next);
        assertEquals(new CheckpointCreateResult(id, 13), Checkpoints.created(next, id));
    }

    @Test
    void noLifetimeNeverExpires() {
        UUID id = UUID.randomUUID();
        Manifest next = Checkpoints.creating(id, CheckpointOptions.DEFAULT, clock)
                .apply(new Versioned<>(1, manifest())).orElseThrow();
        Checkpoint c = Checkpoints.find(next, id).orElseThrow();
        assertEquals(0, c.expireTimeSeconds());
        assertFalse(c.isExpiredAt(Instant.ofEpochSecond(Checkpoint.MAX_TIME_SECONDS)));
        CheckpointInfo info = Checkpoints.info(c);
        assertNull(info.expireTime());
        assertEquals(Instant.ofEpochSecond(NOW.getEpochSecond()), info.createTime());
    }

    @Test
    void sourceCheckpointLendsItsManifestEvenWhenExpired() {
        Checkpoint source = checkpoint(5, 1_001, "old");
        UUID id = UUID.randomUUID();
        Manifest next = Checkpoints.creating(id, CheckpointOptions.builder().source(source.id()).build(), clock)
                .apply(new Versioned<>(30, manifest(source))).orElseThrow();
        assertEquals(5, Checkpoints.find(next, id).orElseThrow().manifestId());
        assertEquals(2, next.core().checkpoints().size());
    }

    @Test
    void missingSourceIsDataError() {
        var mutator = Checkpoints.creating(UUID.randomUUID(),
                CheckpointOptions.builder().source(UUID.randomUUID()).build(), clock);
        SlateDbException e = assertThrows(SlateDbException.class, () -> mutator.apply(new Versioned<>(3, manifest())));
        assertEquals(ErrorKind.DATA, e.kind());
    }

    @Test
    void uninitializedDatabaseCannotBeCheckpointed() {
        Manifest clone = manifest().withCore(ManifestCore.initial().toBuilder().initialized(false).build());
        SlateDbException e = assertThrows(SlateDbException.class, () -> Checkpoints.creating(UUID.randomUUID(),
                CheckpointOptions.DEFAULT, clock).apply(new Versioned<>(3, clone)));
        assertEquals(ErrorKind.DATA, e.kind());
    }

    @Test
    void lifetimeBeyondU32SecondsIsInvalid() {
        SlateDbException e = assertThrows(SlateDbException.class,
                () -> Checkpoints.expireTimeSeconds(NOW, Duration.ofDays(365L * 200)));
        assertEquals(ErrorKind.INVALID, e.kind());
        assertEquals(ErrorKind.INVALID, assertThrows(SlateDbException.class,
                () -> Checkpoints.expireTimeSeconds(NOW, Duration.ofSeconds(-1))).kind());
        assertEquals(NOW.getEpochSecond(), Checkpoints.expireTimeSeconds(NOW, Duration.ZERO));
    }

    @Test
    void refreshSetsNewExpiryAndFailsForMissing() {
        Checkpoint c = checkpoint(4, 2_000, null);
        Manifest m = manifest(c);
        Manifest refreshed = Checkpoints.refreshing(c.id(), Duration.ofHours(1), clock)
                .apply(new Versioned<>(9, m)).orElseThrow();
        Checkpoint after = Checkpoints.find(refreshed, c.id()).orElseThrow();
        assertEquals(NOW.getEpochSecond() + 3600, after.expireTimeSeconds());
        assertEquals(c.manifestId(), after.manifestId());
        assertEquals(c.createTimeSeconds(), after.createTimeSeconds());
        // The same expiry again writes nothing; no lifetime means never.
        assertEquals(Optional.empty(), Checkpoints.refreshing(c.id(), Duration.ofHours(1), clock)
                .apply(new Versioned<>(10, refreshed)));
        Manifest never = Checkpoints.refreshing(c.id(), null, clock).apply(new Versioned<>(10, refreshed))
                .orElseThrow();
        assertEquals(0, Checkpoints.find(never, c.id()).orElseThrow().expireTimeSeconds());

        SlateDbException e = assertThrows(SlateDbException.class, () -> Checkpoints.refreshing(UUID.randomUUID(),
                Duration.ofHours(1), clock).apply(new Versioned<>(9, m)));
        assertEquals(ErrorKind.DATA, e.kind());
    }

    @Test
    void deleteRemovesOnlyThatCheckpointAndMissingIsNoWrite() {
        Checkpoint a = checkpoint(4, 0, "a");
        Checkpoint b = checkpoint(5, 0, "b");
        Manifest m = manifest(a, b);
        Manifest next = Checkpoints.deleting(a.id()).apply(new Versioned<>(8, m)).orElseThrow();
        assertEquals(List.of(b), next.core().checkpoints());
        assertEquals(Optional.empty(), Checkpoints.deleting(UUID.randomUUID()).apply(new Versioned<>(8, m)));
    }

    @Test
    void expiredCheckpointsAreRemovedAtTheirExpiry() {
        long now = NOW.getEpochSecond();
        Checkpoint past = checkpoint(1, now - 1, null);
        Checkpoint exactlyNow = checkpoint(2, now, null);
        Checkpoint future = checkpoint(3, now + 1, null);
        Checkpoint never = checkpoint(4, 0, null);
        Manifest m = manifest(past, exactlyNow, future, never);
        Manifest next = Checkpoints.removingExpired(clock).apply(new Versioned<>(2, m)).orElseThrow();
        assertEquals(List.of(future, never), next.core().checkpoints());
        assertEquals(Optional.empty(), Checkpoints.removingExpired(clock).apply(new Versioned<>(3, next)));
        assertTrue(Checkpoints.withoutExpired(next, NOW) == next);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(never), Checkpoints.withoutExpired(next, clock.instant()).core().checkpoints());
    }

    @Test
    void listFiltersByName() {
        Checkpoint unnamed = checkpoint(1, 0, null);
        Checkpoint empty = checkpoint(1, 0, "");
        Checkpoint a1 = checkpoint(2, 0, "a");
        Checkpoint a2 = checkpoint(3, 0, "a");
        Checkpoint b = checkpoint(4, 0, "b");
        Manifest m = manifest(unnamed, empty, a1, a2, b);
        assertEquals(m.core().checkpoints(), Checkpoints.list(m, null));
        assertEquals(List.of(unnamed, empty), Checkpoints.list(m, ""));
        assertEquals(List.of(a1, a2), Checkpoints.list(m, "a"));
        assertEquals(List.of(), Checkpoints.list(m, "c"));
    }
}
