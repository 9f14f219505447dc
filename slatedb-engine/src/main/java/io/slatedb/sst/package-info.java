/**
 * Internal: SlateDB's SST format, shared by WAL SSTs and compacted SSTs: data blocks, the row codec,
 * checksums and compression, the bloom filter, the index, the stats block and the footer. Not part of
 * the public API.
 */
package io.slatedb.sst;
