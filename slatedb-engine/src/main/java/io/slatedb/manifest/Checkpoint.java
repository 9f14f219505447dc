package io.slatedb.manifest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A checkpoint: a named or anonymous pin on one manifest version, which keeps that manifest and every
 * SST and WAL object it references from being garbage collected until the checkpoint is removed or
 * expires. Times have second precision and are stored as unsigned 32-bit Unix seconds.
 *
 * @param id                the checkpoint's id (a random UUID)
 * @param manifestId        the pinned manifest's id (unsigned)
 * @param expireTimeSeconds when the checkpoint expires, in Unix seconds; 0 means never
 * @param createTimeSeconds when the checkpoint was made, in Unix seconds
 * @param name              an optional name (names need not be unique), or null
 * @param writerEpoch       the epoch from the {@code WriterCheckpoint} metadata, when present (SlateDB
 *                          defines it but does not write it)
 */
public record Checkpoint(UUID id, long manifestId, long expireTimeSeconds, long createTimeSeconds, String name,
                         OptionalLong writerEpoch) {

    /** The largest stored time: the u32 maximum. */
    public static final long MAX_TIME_SECONDS = 0xFFFF_FFFFL;

    public Checkpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(writerEpoch, "writerEpoch");
        checkSeconds(expireTimeSeconds, "expire");
        checkSeconds(createTimeSeconds, "create");
    }

    /** A checkpoint without writer metadata. */
    public Checkpoint(UUID id, long manifestId, long expireTimeSeconds, long createTimeSeconds, String name) {
        this(id, manifestId, expireTimeSeconds, createTimeSeconds, name, OptionalLong.empty());
    }

    /** When the checkpoint expires, or empty if it never does. */
    public Optional<Instant> expireTime() {
        return expireTimeSeconds == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expireTimeSeconds));
    }

    public Instant createTime() {
        return Instant.ofEpochSecond(createTimeSeconds);
    }

    /** Whether the checkpoint has expired at {@code now}: it has an expiry time and that time is not after now. */
    public boolean isExpiredAt(Instant now) {
        return expireTimeSeconds != 0 && !Instant.ofEpochSecond(expireTimeSeconds).isAfter(now);
    }

    private static void checkSeconds(long seconds, String which) {
        if (seconds < 0 || seconds > MAX_TIME_SECONDS) {
            throw new IllegalArgumentException("checkpoint " + which + " time is u32 seconds: " + seconds);
        }
    }
}
