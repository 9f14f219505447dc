package io.slatedb;

import io.slatedb.manifest.Manifest;

import java.util.List;
import java.util.Objects;

/**
 * One manifest version read from the object store: its id and its content as a {@link ManifestView}.
 * Immutable; two snapshots are equal when they have the same id and the same stored content.
 */
public final class ManifestSnapshot {

    private final long id;
    private final Manifest internal;
    private final ManifestView manifest;

    ManifestSnapshot(long id, Manifest internal) {
        this.id = id;
        this.internal = Objects.requireNonNull(internal, "internal");
        this.manifest = ManifestViews.of(internal);
    }

    /** The manifest's id (unsigned 64-bit, held in a long). */
    public long id() {
        return id;
    }

    /** The manifest's content. */
    public ManifestView manifest() {
        return manifest;
    }

    /** The checkpoints this manifest lists, in stored order. */
    public List<CheckpointInfo> checkpoints() {
        return manifest.checkpoints().stream().map(ManifestView.StoredCheckpoint::info).toList();
    }

    /** The writer epoch (unsigned): bumped by every writer that opened the database. */
    public long writerEpoch() {
        return manifest.writerEpoch();
    }

    /** The compactor epoch (unsigned): bumped by every compactor that started. */
    public long compactorEpoch() {
        return manifest.compactorEpoch();
    }

    /** The engine's own model of the content, for the engine and its tests. */
    Manifest internal() {
        return internal;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestSnapshot other && other.id == id && other.internal.equals(internal);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + internal.hashCode();
    }

    @Override
    public String toString() {
        return "ManifestSnapshot[id=" + Long.toUnsignedString(id) + ", manifest=" + internal + "]";
    }
}
