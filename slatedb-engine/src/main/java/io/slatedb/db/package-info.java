/**
 * Internal: the machinery behind {@link io.slatedb.Db}: opening and fencing a writer, the write loop,
 * flushes and recovery. Not part of the public API.
 */
package io.slatedb.db;
