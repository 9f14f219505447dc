package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.FormatException;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Iterates a version-1 block, where every row has its own offset and shares its key prefix with the
 * block's first row, so any row decodes on its own and a seek is a plain binary search.
 */
final class BlockIteratorV1 implements BlockIterator {
    private final byte[] bytes;
    private final int rowsEnd;
    private final int[] offsets;
    private byte[] firstKey;
    private int nextIndex;

    BlockIteratorV1(Block block) {
        this.bytes = block.bytes();
        this.rowsEnd = block.rowsEnd();
        this.offsets = block.offsets();
    }

    @Override
    public boolean hasNext() {
        return nextIndex < offsets.length;
    }

    @Override
    public RowEntry next() {
        if (nextIndex >= offsets.length) {
            throw new NoSuchElementException();
        }
        return row(nextIndex++);
    }

    private RowEntry row(int index) {
        int end = index + 1 < offsets.length ? offsets[index + 1] : rowsEnd;
        ByteCursor cursor = new ByteCursor(bytes, offsets[index], end);
        RowEntry row = RowCodecV0.decode(cursor, index == 0 ? null : firstKey());
        if (!cursor.exhausted()) {
            throw new FormatException("block row " + index + " leaves " + cursor.remaining() + " bytes unused");
        }
        return row;
    }

    private byte[] firstKey() {
        if (firstKey == null) {
            firstKey = row(0).key();
        }
        return firstKey;
    }

    @Override
    public void seek(byte[] key) {
        int lo = 0;
        int hi = offsets.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(row(mid).key(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        nextIndex = lo;
    }
}
