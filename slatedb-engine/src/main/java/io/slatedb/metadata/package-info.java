/**
 * Internal: SlateDB's sequenced metadata objects (manifests and compactor state). Each version is an
 * immutable object {@code <dir>/<20-digit id>.<suffix>}; the create-if-absent put of version N+1 is the
 * commit point, so concurrent writers serialise through the object store alone. The GC boundary file
 * keeps a writer from committing a version the garbage collector has already passed. Not part of the
 * public API.
 */
package io.slatedb.metadata;
