package io.slatedb;

import io.slatedb.reader.LsmScan;
import io.slatedb.sst.RowEntry;

/**
 * The key-value pairs of a scan, in ascending unsigned key order, as of one consistent point: writes
 * made after the scan started are not seen, and neither are later flushes or compactions noticed.
 * Deleted keys are left out; expired values are returned (see {@link KeyValue}).
 *
 * <p>Not thread-safe: one thread iterates. {@link #hasNext()} may read from object storage and then
 * blocks; {@link #nextAsync()} does not. Close the iterator when done (try-with-resources); a
 * failure while reading is thrown as a {@link SlateDbException} and ends the iteration.
 */
public final class DbIterator extends ScanIterator<KeyValue> {

    DbIterator(LsmScan scan) {
        super(scan);
    }

    @Override
    KeyValue convert(RowEntry row) {
        return toKeyValue(row);
    }

    static KeyValue toKeyValue(RowEntry row) {
        return new KeyValue(row.key(), row.value(), row.seq(), ReadMethods.createTsOf(row), row.expireTs());
    }
}
