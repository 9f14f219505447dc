package io.slatedb;

import java.util.Objects;
import java.util.UUID;

/**
 * What creating a checkpoint returns.
 *
 * @param id         the new checkpoint's id (a version-4 UUID)
 * @param manifestId the id of the manifest the checkpoint pins, an unsigned 64-bit integer held
 *                   in a long
 */
public record CheckpointCreateResult(UUID id, long manifestId) {

    /** @throws NullPointerException when {@code id} is null */
    public CheckpointCreateResult {
        Objects.requireNonNull(id, "id");
    }
}
