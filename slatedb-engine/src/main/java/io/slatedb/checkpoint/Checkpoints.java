package io.slatedb.checkpoint;

import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointInfo;
import io.slatedb.CheckpointOptions;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.manifest.Checkpoint;
import io.slatedb.manifest.Manifest;
import io.slatedb.manifest.ManifestCore;
import io.slatedb.metadata.Versioned;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Checkpoint changes as pure functions of a manifest (SlateDB's {@code StoredManifest} checkpoint
 * methods, §8 of the reference). Each {@code ...ing} method returns a mutator for
 * {@code StoredObject.maybeApplyUpdate} / {@code FenceableObject.maybeApplyUpdate}: it gets the latest
 * stored manifest with its id and returns the manifest to commit as the next id, or empty when there
 * is nothing to write. Mutators may run several times (once per lost race), always on a fresh copy, and
 * change nothing but {@code checkpoints}.
 *
 * <p>Which manifest a new checkpoint pins: without a source, the manifest that adds it, i.e. the id
 * after the one the mutator sees ({@code current_id + 1}), whether the writer or an admin writes it;
 * that manifest pins itself. With a source, the source checkpoint's manifest (the source's expiry is
 * not checked). Times are Unix seconds; an expiry of 0 means never.
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    // ---------------------------------------------------------------- mutators

    /**
     * Adds a checkpoint with {@code id} made as {@code options} say, with the creation time from
     * {@code clock}.
     *
     * @throws SlateDbException (from the mutator) of kind {@link ErrorKind#DATA} when the source
     *                          checkpoint does not exist or the database is not initialized, of kind
     *                          {@link ErrorKind#INVALID} when the expiry does not fit the manifest's
     *                          u32 seconds
     */
    public static Function<Versioned<Manifest>, Optional<Manifest>> creating(UUID id, CheckpointOptions options,
                                                                           Clock clock) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        return latest -> Optional.of(withCheckpoint(latest.value(),
                newCheckpoint(latest, id, options, clock.instant())));
    }

    /**
     * Sets the checkpoint's expiry to now + {@code lifetime} ({@code null}: never). Writes nothing when
     * the expiry is already that.
     *
     * @throws SlateDbException (from the mutator) of kind {@link ErrorKind#DATA} when there is no
     *                          checkpoint {@code id}
     */
    public static Function<Versioned<Manifest>, Optional<Manifest>> refreshing(UUID id, Duration lifetime,
                                                                             Clock clock) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clock, "clock");
        checkLifetime(lifetime);
        return latest -> refreshed(latest.value(), id, lifetime, clock.instant());
    }

    /** Removes checkpoint {@code id}; writes nothing when there is none (a missing id is not an error). */
    public static Function<Versioned<Manifest>, Optional<Manifest>> deleting(UUID id) {
        Objects.requireNonNull(id, "id");
        return latest -> deleted(latest.value(), id);
    }

    /**
     * Removes every checkpoint expired at the clock's time (the garbage collector's step before each of
     * its tasks); writes nothing when none has expired.
     */
    public static Function<Versioned<Manifest>, Optional<Manifest>> removingExpired(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return latest -> expiredRemoved(latest.value(), clock.instant());
    }

    // ---------------------------------------------------------------- the changes themselves

    /**
     * The checkpoint that {@code options} describe, to be added in the manifest written on top of
     * {@code base} (so, without a source, pinning {@code base.id() + 1}).
     */
    public static Checkpoint newCheckpoint(Versioned<Manifest> base, UUID id, CheckpointOptions options,
                                           Instant now) {
        ManifestCore core = base.value().core();
        long manifestId;
        if (options.source() != null) {
            Checkpoint source = find(base.value(), options.source()).orElseThrow(() -> new SlateDbException(
                    ErrorKind.DATA, "source checkpoint " + options.source() + " does not exist (in manifest "
                    + Long.toUnsignedString(base.id()) + ")"));
            manifestId = source.manifestId();
        } else {
            if (!core.initialized()) {
                throw new SlateDbException(ErrorKind.DATA, "the database is not initialized (an unfinished clone):"
                        + " it cannot be checkpointed");
            }
            manifestId = base.id() + 1;
        }
        return new Checkpoint(id, manifestId, expireTimeSeconds(now, options.lifetime()), seconds(now),
                options.name());
    }

    /** {@code manifest} with {@code checkpoint} added after the existing ones. */
    public static Manifest withCheckpoint(Manifest manifest, Checkpoint checkpoint) {
        List<Checkpoint> checkpoints = new ArrayList<>(manifest.core().checkpoints());
        checkpoints.add(checkpoint);
        return withCheckpoints(manifest, checkpoints);
    }

    /**
     * {@code manifest} with checkpoint {@code id} expiring at now + {@code lifetime}, or empty when it
     * already does.
     *
     * @throws SlateDbException of kind {@link ErrorKind#DATA} when there is no checkpoint {@code id}
     */
    public static Optional<Manifest> refreshed(Manifest manifest, UUID id, Duration lifetime, Instant now) {
        long expire = expireTimeSeconds(now, lifetime);
        List<Checkpoint> checkpoints = new ArrayList<>(manifest.core().checkpoints());
        boolean found = false;
        boolean changed = false;
        for (int i = 0; i < checkpoints.size(); i++) {
            Checkpoint c = checkpoints.get(i);
            if (c.id().equals(id)) {
                found = true;
                if (c.expireTimeSeconds() != expire) {
                    checkpoints.set(i, new Checkpoint(c.id(), c.manifestId(), expire, c.createTimeSeconds(), c.name(),
                            c.writerEpoch()));
                    changed = true;
                }
            }
        }
        if (!found) {
            throw missing(id);
        }
        return changed ? Optional.of(withCheckpoints(manifest, checkpoints)) : Optional.empty();
    }

    /** {@code manifest} without checkpoint {@code id}, or empty when it has none. */
    public static Optional<Manifest> deleted(Manifest manifest, UUID id) {
        List<Checkpoint> kept = manifest.core().checkpoints().stream().filter(c -> !c.id().equals(id)).toList();
        return kept.size() == manifest.core().checkpoints().size() ? Optional.empty()
                : Optional.of(withCheckpoints(manifest, kept));
    }

    /** {@code manifest} without the checkpoints expired at {@code now}, or empty when none has. */
    public static Optional<Manifest> expiredRemoved(Manifest manifest, Instant now) {
        List<Checkpoint> kept = manifest.core().checkpoints().stream().filter(c -> !c.isExpiredAt(now)).toList();
        return kept.size() == manifest.core().checkpoints().size() ? Optional.empty()
                : Optional.of(withCheckpoints(manifest, kept));
    }

    /** {@code manifest} without the checkpoints expired at {@code now} (itself when none has). */
    public static Manifest withoutExpired(Manifest manifest, Instant now) {
        return expiredRemoved(manifest, now).orElse(manifest);
    }

    // ---------------------------------------------------------------- queries

    /** Checkpoint {@code id} of {@code manifest}. */
    public static Optional<Checkpoint> find(Manifest manifest, UUID id) {
        return manifest.core().checkpoints().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * The checkpoints of {@code manifest} that {@code nameFilter} selects (SlateDB's
     * {@code list_checkpoints}): {@code null} all of them, {@code ""} the unnamed (or empty-named) ones,
     * any other string those with exactly that name. In manifest order.
     */
    public static List<Checkpoint> list(Manifest manifest, String nameFilter) {
        return manifest.core().checkpoints().stream().filter(c -> matches(c, nameFilter)).toList();
    }

    private static boolean matches(Checkpoint c, String nameFilter) {
        if (nameFilter == null) {
            return true;
        }
        if (nameFilter.isEmpty()) {
            return c.name() == null || c.name().isEmpty();
        }
        return nameFilter.equals(c.name());
    }

    /** The public description of a checkpoint. */
    public static CheckpointInfo info(Checkpoint c) {
        return new CheckpointInfo(c.id(), c.manifestId(), c.createTime(), c.expireTime().orElse(null), c.name());
    }

    /**
     * What creating checkpoint {@code id} returns, read from the manifest that added it.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INTERNAL} when the manifest lacks it
     */
    public static CheckpointCreateResult created(Manifest written, UUID id) {
        Checkpoint c = find(written, id).orElseThrow(() -> new SlateDbException(ErrorKind.INTERNAL,
                "checkpoint " + id + " is missing from the manifest that added it"));
        return new CheckpointCreateResult(c.id(), c.manifestId());
    }

    // ---------------------------------------------------------------- times

    /**
     * The stored expiry of a checkpoint with {@code lifetime} made at {@code now}: Unix seconds of now
     * + lifetime (rounded down, as SlateDB stores it), or 0 (never) for a null lifetime.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID} for a negative lifetime or an expiry
     *                          beyond the u32 seconds the manifest stores (2106)
     */
    public static long expireTimeSeconds(Instant now, Duration lifetime) {
        checkLifetime(lifetime);
        if (lifetime == null) {
            return 0;
        }
        long expire;
        try {
            expire = now.plus(lifetime).getEpochSecond();
        } catch (ArithmeticException | java.time.DateTimeException e) {
            expire = Long.MAX_VALUE;
        }
        if (expire > Checkpoint.MAX_TIME_SECONDS) {
            throw new SlateDbException(ErrorKind.INVALID, "checkpoint lifetime " + lifetime
                    + " ends after the latest expiry a manifest can store (" + Instant.ofEpochSecond(
                    Checkpoint.MAX_TIME_SECONDS) + ")");
        }
        // A zero stored expiry means "never": a checkpoint expiring at the epoch itself expires a second later.
        return Math.max(expire, 1);
    }

    private static long seconds(Instant now) {
        long s = now.getEpochSecond();
        if (s < 0 || s > Checkpoint.MAX_TIME_SECONDS) {
            throw new SlateDbException(ErrorKind.INVALID, "the clock's time " + now
                    + " does not fit a checkpoint's u32 seconds");
        }
        return s;
    }

    private static void checkLifetime(Duration lifetime) {
        if (lifetime != null && lifetime.isNegative()) {
            throw new SlateDbException(ErrorKind.INVALID, "checkpoint lifetime must not be negative: " + lifetime);
        }
    }

    private static SlateDbException missing(UUID id) {
        return new SlateDbException(ErrorKind.DATA, "checkpoint " + id + " does not exist");
    }

    private static Manifest withCheckpoints(Manifest manifest, List<Checkpoint> checkpoints) {
        return manifest.withCore(manifest.core().toBuilder().checkpoints(checkpoints).build());
    }
}
