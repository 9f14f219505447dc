package io.slatedb;

import io.slatedb.reader.LsmScan;
import io.slatedb.sst.RowEntry;

/**
 * The rows of {@link DbReaderSnapshot#scanChangesSince}: per key, in ascending unsigned key order, the
 * newest row as stored (a put, a delete or a merge operand) when it is newer than the sequence number
 * asked for.
 *
 * <p>Not thread-safe: one thread iterates. {@link #hasNext()} may read from object storage and then
 * blocks; {@link #nextAsync()} does not. Close the iterator when done (try-with-resources); a failure
 * while reading is thrown as a {@link SlateDbException} and ends the iteration.
 */
public final class ChangeIterator extends ScanIterator<ChangeRow> {

    ChangeIterator(LsmScan scan) {
        super(scan);
    }

    @Override
    ChangeRow convert(RowEntry row) {
        return ChangeRow.of(row);
    }
}
