/**
 * The read path shared by the writer's {@code Db} and by {@code DbReader}: {@link
 * io.slatedb.reader.TableStore} opens compacted SSTs by id and caches their metadata and data blocks;
 * {@link io.slatedb.reader.LsmReader} answers point gets and scans over a {@link
 * io.slatedb.reader.ReadView} (memtables plus the LSM tree of a manifest) at a sequence number.
 */
package io.slatedb.reader;
