package io.slatedb;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A checkpoint as the manifest records it: a pin on one manifest version, which keeps that manifest
 * and every SST and WAL file it references from being garbage collected until the checkpoint is
 * deleted or expires. Times have second precision.
 *
 * @param id         the checkpoint's id (a version-4 UUID)
 * @param manifestId the id of the manifest it pins (unsigned 64-bit, held in a long)
 * @param createTime when it was created
 * @param expireTime when it expires, or {@code null} when it never does
 * @param name       its name, or {@code null}; names need not be unique
 */
public record CheckpointInfo(UUID id, long manifestId, Instant createTime, Instant expireTime, String name) {

    /** @throws NullPointerException when {@code id} or {@code createTime} is null */
    public CheckpointInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createTime, "createTime");
    }

    /** {@link #expireTime()} as an optional: empty when the checkpoint never expires. */
    public Optional<Instant> expiry() {
        return Optional.ofNullable(expireTime);
    }

    /** Whether the checkpoint has expired at {@code now}: it has an expiry and that time is not after now. */
    public boolean isExpiredAt(Instant now) {
        return expireTime != null && !expireTime.isAfter(now);
    }
}
