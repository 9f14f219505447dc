package io.slatedb;

import io.slatedb.checkpoint.Checkpoints;
import io.slatedb.manifest.Manifest;

import java.util.List;
import java.util.Objects;

/**
 * One manifest version read from the object store: its id and content.
 *
 * <p>The content is the engine's own manifest model, {@link io.slatedb.manifest.Manifest}: an
 * immutable record of every field SlateDB stores (LSM tree, WAL position, watermarks, checkpoints,
 * epochs, clone sources). It is exposed read-only because there is no separate public manifest model
 * yet; that package is internal, so its shape may change between releases. The accessors here
 * ({@link #checkpoints()}, {@link #writerEpoch()}, {@link #compactorEpoch()}) are the stable part.
 *
 * @param id       the manifest's id (unsigned 64-bit, held in a long)
 * @param manifest its content
 */
public record ManifestSnapshot(long id, Manifest manifest) {

    /** @throws NullPointerException when {@code manifest} is null */
    public ManifestSnapshot {
        Objects.requireNonNull(manifest, "manifest");
    }

    /** The checkpoints this manifest lists, in stored order. */
    public List<CheckpointInfo> checkpoints() {
        return manifest.core().checkpoints().stream().map(Checkpoints::info).toList();
    }

    /** The writer epoch (unsigned): bumped by every writer that opened the database. */
    public long writerEpoch() {
        return manifest.writerEpoch();
    }

    /** The compactor epoch (unsigned): bumped by every compactor that started. */
    public long compactorEpoch() {
        return manifest.compactorEpoch();
    }
}
