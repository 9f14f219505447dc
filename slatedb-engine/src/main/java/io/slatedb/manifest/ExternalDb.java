package io.slatedb.manifest;

import io.slatedb.format.Ulid;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A database this one (a clone) still reads SSTs from. Those SSTs are read from
 * {@code <path>/compacted/<id>.sst}; they belong to the other database, and this one never deletes them.
 *
 * @param path               the other database's root path in the same object store
 * @param sourceCheckpointId the other database's checkpoint the clone was made from
 * @param finalCheckpointId  the never-expiring checkpoint this database holds in the other one to keep
 *                           the SSTs below alive, or null
 * @param sstIds             the other database's SSTs this one still references
 */
public record ExternalDb(String path, UUID sourceCheckpointId, UUID finalCheckpointId, List<Ulid> sstIds) {

    public ExternalDb {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sourceCheckpointId, "sourceCheckpointId");
        sstIds = List.copyOf(sstIds);
    }
}
