/**
 * Internal: SlateDB's persisted byte formats. The FlatBuffers accessors in {@code io.slatedb.format.fb}
 * are generated from {@code src/main/fbs/} by {@code scripts/generate-flatbuffers.sh}. Not part of the
 * public API.
 */
package io.slatedb.format;
