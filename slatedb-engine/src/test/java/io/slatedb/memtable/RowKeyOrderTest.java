package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class RowKeyOrderTest {

    /** The inlined prefix must never change the order: it agrees with the row order everywhere. */
    @Property(tries = 2000)
    void ordersLikeRows(@ForAll @Size(max = 12) byte[] a, @ForAll @Size(max = 12) byte[] b,
                        @ForAll long seqA, @ForAll long seqB) {
        int rows = Integer.signum(RowEntry.KEY_ASC_SEQ_DESC.compare(RowEntry.tombstone(a, seqA), RowEntry.tombstone(b, seqB)));
        int keys = Integer.signum(RowKey.ORDER.compare(RowKey.of(a, seqA), RowKey.of(b, seqB)));
        if (rows != keys) {
            throw new AssertionError("rows compare " + rows + " but keys " + keys);
        }
    }
}
