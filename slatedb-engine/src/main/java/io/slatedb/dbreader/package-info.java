/**
 * Internal: the engine behind {@link io.slatedb.DbReader}, a read-only handle on a database that reads
 * a checkpointed (or the latest) manifest and the WAL files not yet in L0, replayed into immutable
 * tables, through the same read path as the writer ({@link io.slatedb.reader.HandleReads}); and the
 * polling that follows the database.
 */
package io.slatedb.dbreader;
