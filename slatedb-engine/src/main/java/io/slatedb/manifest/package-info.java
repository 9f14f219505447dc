/**
 * Internal: SlateDB's manifest, the object that describes a database's LSM tree (L0 SSTs and sorted
 * runs), its WAL position, writer and compactor epochs, checkpoints and clone sources, as immutable
 * records, and its byte encoding ({@link io.slatedb.manifest.ManifestCodec}). Ids SlateDB stores as
 * unsigned 64-bit integers are held in {@code long}s and compared with {@link Long#compareUnsigned}.
 * Not part of the public API.
 */
package io.slatedb.manifest;
