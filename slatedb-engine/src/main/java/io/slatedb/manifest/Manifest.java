package io.slatedb.manifest;

import java.util.List;
import java.util.Objects;

/**
 * A manifest: a database's state ({@link ManifestCore}), the writer and compactor epochs that fence
 * stale processes, and the databases a clone still reads SSTs from. A manifest's id is its object
 * name, not part of its content. Epochs are unsigned.
 */
public record Manifest(List<ExternalDb> externalDbs, ManifestCore core, long writerEpoch, long compactorEpoch) {

    public Manifest {
        externalDbs = List.copyOf(externalDbs);
        Objects.requireNonNull(core, "core");
    }

    /** The first manifest of a database with {@code core}: no clone sources, both epochs 0. */
    public static Manifest initial(ManifestCore core) {
        return new Manifest(List.of(), core, 0, 0);
    }

    /** This manifest with another core. */
    public Manifest withCore(ManifestCore newCore) {
        return new Manifest(externalDbs, newCore, writerEpoch, compactorEpoch);
    }

    /** This manifest with another writer epoch. */
    public Manifest withWriterEpoch(long epoch) {
        return new Manifest(externalDbs, core, epoch, compactorEpoch);
    }

    /** This manifest with another compactor epoch. */
    public Manifest withCompactorEpoch(long epoch) {
        return new Manifest(externalDbs, core, writerEpoch, epoch);
    }

    /** This manifest with other clone sources. */
    public Manifest withExternalDbs(List<ExternalDb> dbs) {
        return new Manifest(dbs, core, writerEpoch, compactorEpoch);
    }
}
