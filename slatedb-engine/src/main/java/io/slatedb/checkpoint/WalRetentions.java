package io.slatedb.checkpoint;

import io.slatedb.CheckpointOptions;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.WalRetention;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.metadata.Versioned;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * WAL retention slots as checkpoints: a slot named {@code n} holding the WAL from id {@code w} on is a
 * checkpoint named {@code slatedb.wal_retention:n:w} that pins the manifest which added it. The name
 * carries the position, so neither the manifest format nor other readers of it change. Creating,
 * moving and releasing are mutators for {@code StoredObject.maybeApplyUpdate}, like {@link Checkpoints}'.
 * A move replaces the checkpoint in one manifest write: the WAL is held without a gap.
 */
public final class WalRetentions {
    static final String PREFIX = "slatedb.wal_retention:";

    private WalRetentions() {
    }

    /** The slot a checkpoint stores, or empty when it is an ordinary checkpoint. */
    public static Optional<WalRetention> parse(Checkpoint checkpoint) {
        String name = checkpoint.name();
        if (name == null || !name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int colon = name.lastIndexOf(':');
        if (colon < PREFIX.length()) {
            return Optional.empty();
        }
        long walId;
        try {
            walId = Long.parseUnsignedLong(name.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new WalRetention(name.substring(PREFIX.length(), colon), walId, checkpoint.id(),
                checkpoint.manifestId(), checkpoint.createTime(), checkpoint.expireTime().orElse(null)));
    }

    /** The lowest WAL id a slot in {@code checkpoints} holds, or empty when there is none. */
    public static OptionalLong lowestHeld(List<Checkpoint> checkpoints) {
        return checkpoints.stream().map(WalRetentions::parse).flatMap(Optional::stream).mapToLong(WalRetention::walId)
                .reduce((a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b);
    }

    /** The slots of {@code manifest}, in stored order. */
    public static List<WalRetention> list(Manifest manifest) {
        return manifest.core().checkpoints().stream().map(WalRetentions::parse).flatMap(Optional::stream).toList();
    }

    /** Slot {@code name} of {@code manifest}. */
    public static Optional<WalRetention> find(Manifest manifest, String name) {
        return list(manifest).stream().filter(slot -> slot.name().equals(name)).findFirst();
    }

    /**
     * Adds slot {@code name} at {@code walId} with {@code lifetime} (null: never expires).
     *
     * @throws SlateDbException (from the mutator) of kind {@link ErrorKind#INVALID} when a slot of that
     *                          name exists
     */
    public static Function<Versioned<Manifest>, Optional<Manifest>> creating(String name, long walId,
                                                                           Duration lifetime, Clock clock) {
        checkName(name);
        checkWalId(walId);
        Objects.requireNonNull(clock, "clock");
        return latest -> {
            if (find(latest.value(), name).isPresent()) {
                throw new SlateDbException(ErrorKind.INVALID, "a WAL retention slot named " + name + " exists");
            }
            return Optional.of(Checkpoints.withCheckpoint(latest.value(), slot(latest, name, walId, lifetime, clock)));
        };
    }

    /**
     * Moves slot {@code name} forward to {@code walId}, with a fresh lifetime as long as it was given at
     * creation: the old checkpoint goes and a new one (pinning the manifest written) comes in one write.
     *
     * @throws SlateDbException (from the mutator) of kind {@link ErrorKind#DATA} when there is no such
     *                          slot (released, or expired and collected), {@link ErrorKind#INVALID}
     *                          when {@code walId} is below the slot's position
     */
    public static Function<Versioned<Manifest>, Optional<Manifest>> moving(String name, long walId, Clock clock) {
        checkName(name);
        checkWalId(walId);
        Objects.requireNonNull(clock, "clock");
        return latest -> {
            WalRetention current = find(latest.value(), name).orElseThrow(() -> new SlateDbException(ErrorKind.DATA,
                    "there is no WAL retention slot named " + name));
            if (Long.compareUnsigned(walId, current.walId()) < 0) {
                throw new SlateDbException(ErrorKind.INVALID, "WAL retention slot " + name + " holds from WAL id "
                        + Long.toUnsignedString(current.walId()) + " and moves only forward, not to "
                        + Long.toUnsignedString(walId));
            }
            Duration lifetime = current.expireTime() == null ? null
                    : Duration.between(current.createTime(), current.expireTime());
            Manifest without = Checkpoints.deleted(latest.value(), current.checkpointId()).orElseThrow();
            return Optional.of(Checkpoints.withCheckpoint(without, slot(latest, name, walId, lifetime, clock)));
        };
    }

    /** Removes slot {@code name}; writes nothing when there is none. */
    public static Function<Versioned<Manifest>, Optional<Manifest>> releasing(String name) {
        checkName(name);
        return latest -> find(latest.value(), name).flatMap(slot -> Checkpoints.deleted(latest.value(),
                slot.checkpointId()));
    }

    private static Checkpoint slot(Versioned<Manifest> base, String name, long walId, Duration lifetime, Clock clock) {
        CheckpointOptions options = new CheckpointOptions(lifetime, null, PREFIX + name + ":"
                + Long.toUnsignedString(walId));
        return Checkpoints.newCheckpoint(base, UUID.randomUUID(), options, clock.instant());
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new SlateDbException(ErrorKind.INVALID, "a WAL retention slot needs a name");
        }
    }

    private static void checkWalId(long walId) {
        if (walId == 0) {
            throw new SlateDbException(ErrorKind.INVALID, "WAL ids start at 1");
        }
    }
}
