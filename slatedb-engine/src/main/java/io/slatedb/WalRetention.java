package io.slatedb;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A WAL retention slot: a change-feed consumer's hold on the WAL from its position on. While the slot
 * exists, this engine's garbage collector deletes no WAL file with an id at or above {@link #walId()},
 * so a {@link WalChangeFeed} started there never meets a {@link WalTruncatedException}. The consumer
 * moves the slot forward as it saves its position ({@link Admin#moveWalRetention}) and releases it when
 * done ({@link Admin#releaseWalRetention}); a slot with a lifetime expires when the consumer stops
 * moving it, so a dead consumer cannot hold the WAL forever.
 *
 * <p>The slot is stored as a named checkpoint in the manifest (no format change: SlateDB sees a
 * checkpoint named {@code slatedb.wal_retention:<name>:<walId>}), which pins the latest manifest at the
 * time it was created or last moved. Other collectors (SlateDB's own) honour the pin, and so keep that
 * manifest's WAL range, but not the slot's position.
 *
 * @param name         the slot's name, unique among slots
 * @param walId        the first WAL id it holds (unsigned)
 * @param checkpointId the checkpoint that stores it; a move replaces it
 * @param manifestId   the manifest that checkpoint pins (unsigned)
 * @param createTime   when the slot was created or last moved
 * @param expireTime   when it expires, or {@code null} when it never does
 */
public record WalRetention(String name, long walId, UUID checkpointId, long manifestId, Instant createTime,
                           Instant expireTime) {

    /** @throws NullPointerException when {@code name}, {@code checkpointId} or {@code createTime} is null */
    public WalRetention {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(checkpointId, "checkpointId");
        Objects.requireNonNull(createTime, "createTime");
    }

    /** {@link #expireTime()} as an optional: empty when the slot never expires. */
    public Optional<Instant> expiry() {
        return Optional.ofNullable(expireTime);
    }
}
