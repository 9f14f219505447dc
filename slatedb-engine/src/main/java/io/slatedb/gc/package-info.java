/**
 * Internal: the garbage collector behind {@link io.slatedb.GarbageCollector}. One task per kind of
 * object (manifests, WAL SSTs, WAL fences, compacted SSTs, {@code .compactions} files), each deciding
 * from the latest manifest and the manifests of live checkpoints ({@link io.slatedb.gc.LiveState})
 * what nothing can read any more, and deleting it, or in a dry run only listing it. Sequenced metadata
 * (manifests, {@code .compactions}) is deleted only after its {@code gc/*.boundary} file has been
 * advanced past it (RFC-0026). Expired checkpoints are removed from the manifest before each task.
 * Not part of the public API.
 */
package io.slatedb.gc;
