/**
 * Internal: checkpoints as manifest mutations. Creating, refreshing, deleting and expiring checkpoints
 * only ever changes a manifest's {@code checkpoints} list, so every process that writes the manifest
 * (the writer through its {@code ManifestKeeper}, {@link io.slatedb.Admin}, the garbage collector)
 * applies them with {@code maybeApplyUpdate} on the latest stored copy and keeps everything else it
 * finds there. Not part of the public API.
 */
package io.slatedb.checkpoint;
