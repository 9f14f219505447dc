/**
 * The writer's in-memory tables: a {@link io.slatedb.memtable.Memtable} that one writer thread fills
 * while any number of readers read it, and the {@link io.slatedb.memtable.ImmutableMemtable} it
 * becomes when frozen, which waits to be flushed to an L0 SST. Rows are kept in the order of
 * compacted SSTs: key ascending (unsigned), then sequence number descending. A table packs its rows
 * into byte pages ({@code RowArena}) and orders them with a skip list whose nodes live in long pages
 * ({@code RowSkipList}), so a full memtable is a few hundred arrays rather than several objects per
 * row, and an insert reads about one cache line per node it passes.
 */
package io.slatedb.memtable;
