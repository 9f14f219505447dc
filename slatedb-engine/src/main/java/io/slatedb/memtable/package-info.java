/**
 * The writer's in-memory tables: a {@link io.slatedb.memtable.Memtable} that one writer thread fills
 * while any number of readers read it, and the {@link io.slatedb.memtable.ImmutableMemtable} it
 * becomes when frozen, which waits to be flushed to an L0 SST. Rows are kept in the order of
 * compacted SSTs: key ascending (unsigned), then sequence number descending.
 */
package io.slatedb.memtable;
