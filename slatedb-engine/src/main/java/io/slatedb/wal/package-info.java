/**
 * Internal: SlateDB's write-ahead log. Each WAL file is an SST of type WAL at
 * {@code <db>/wal/<20-digit id>.sst}, holding whole write batches in sequence order. Ids are
 * contiguous per writer and every file is written create-if-absent, so a writer that finds its next id
 * taken knows a newer writer has fenced it. Not part of the public API.
 */
package io.slatedb.wal;
