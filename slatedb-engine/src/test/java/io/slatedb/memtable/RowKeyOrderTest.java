package io.slatedb.memtable;

import io.slatedb.sst.RowEntry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class RowKeyOrderTest {

    /** The inlined prefixes must never change the order: they agree with the row order everywhere. */
    @Property(tries = 2000)
    void ordersLikeRows(@ForAll @Size(max = 12) byte[] a, @ForAll @Size(max = 12) byte[] b,
                        @ForAll long seqA, @ForAll long seqB) {
        assertSameOrder(a, b, seqA, seqB);
    }

    /**
     * The same for keys that mostly share their first 8 or 16 bytes: built from 0x00, 0x01 and 0xFF,
     * up to 20 bytes long, so zero padding, the second inlined long and the fallback all decide.
     */
    @Property(tries = 3000)
    void ordersLikeRowsWhenPrefixesCollide(@ForAll("collidingKeys") byte[] a, @ForAll("collidingKeys") byte[] b,
                                           @ForAll long seqA, @ForAll long seqB) {
        assertSameOrder(a, b, seqA, seqB);
    }

    @Provide
    Arbitrary<byte[]> collidingKeys() {
        return Arbitraries.of((byte) 0, (byte) 1, (byte) 0xFF).list().ofMaxSize(20).map(list -> {
            byte[] key = new byte[list.size()];
            for (int i = 0; i < key.length; i++) {
                key[i] = list.get(i);
            }
            return key;
        }).edgeCases(edges -> edges.add(new byte[16]).add(new byte[17]));
    }

    private static void assertSameOrder(byte[] a, byte[] b, long seqA, long seqB) {
        int rows = Integer.signum(RowEntry.KEY_ASC_SEQ_DESC.compare(RowEntry.tombstone(a, seqA), RowEntry.tombstone(b, seqB)));
        int keys = Integer.signum(RowKey.ORDER.compare(RowKey.of(a, seqA), RowKey.of(b, seqB)));
        if (rows != keys) {
            throw new AssertionError("rows compare " + rows + " but keys " + keys);
        }
    }
}
