package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.FormatException;

import java.util.NoSuchElementException;

/**
 * Iterates a version-2 block. Keys are rebuilt from the previous key, so the iterator walks rows in
 * order from a restart point; a seek binary-searches the restart points (whose keys are stored
 * whole) and scans forward from the last one below the target.
 */
final class BlockIteratorV2 implements BlockIterator {
    private final byte[] bytes;
    private final int rowsEnd;
    private final int[] restarts;
    private ByteCursor cursor;
    private int nextRestart;
    private byte[] previousKey;
    private RowEntry peeked;

    BlockIteratorV2(Block block) {
        this.bytes = block.bytes();
        this.rowsEnd = block.rowsEnd();
        this.restarts = block.offsets();
        this.cursor = new ByteCursor(bytes, 0, rowsEnd);
    }

    @Override
    public boolean hasNext() {
        return peeked != null || !cursor.exhausted();
    }

    @Override
    public RowEntry next() {
        if (peeked != null) {
            RowEntry row = peeked;
            peeked = null;
            return row;
        }
        if (cursor.exhausted()) {
            throw new NoSuchElementException();
        }
        return decodeNext();
    }

    private RowEntry decodeNext() {
        RowEntry row = RowCodecV2.decode(cursor, shareFromAtCursor());
        checkRowEnd();
        previousKey = row.key();
        return row;
    }

    /** The key the row at the cursor shares a prefix with: none at a restart point (which it passes). */
    private byte[] shareFromAtCursor() {
        return passRestartAtCursor() ? null : previousKey;
    }

    /** Whether the row at the cursor is at a restart point, which it then passes. */
    private boolean passRestartAtCursor() {
        if (nextRestart < restarts.length && cursor.position() == restarts[nextRestart]) {
            nextRestart++;
            return true;
        }
        return false;
    }

    /** Rows must end exactly where the next restart point begins, or the offsets lie. */
    private void checkRowEnd() {
        if (nextRestart < restarts.length && cursor.position() > restarts[nextRestart]) {
            throw new FormatException("block row ends at " + cursor.position() + ", past the restart point at "
                    + restarts[nextRestart]);
        }
    }

    @Override
    public void seek(byte[] key) {
        // Last restart point whose key is strictly below the target: versions of the target key may
        // begin before a restart point that holds the same key.
        int start = 0;
        int lo = 0;
        int hi = restarts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (RowCodecV2.compareRestartKey(new ByteCursor(bytes, restarts[mid], rowsEnd), key) < 0) {
                start = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        cursor = new ByteCursor(bytes, restarts[start], rowsEnd);
        nextRestart = start;
        previousKey = null;
        peeked = null;
        // Rows below the target are passed over by their keys alone, rebuilt in one scratch buffer; the
        // first row at or above it is decoded in full.
        KeyScratch scratch = new KeyScratch();
        while (!cursor.exhausted()) {
            boolean restart = passRestartAtCursor();
            if (restart) {
                scratch.clear();
            }
            long valueLength = RowCodecV2.readKey(cursor, scratch, restart);
            if (scratch.compareTo(key) >= 0) {
                byte[] rowKey = scratch.toArray();
                peeked = RowCodecV2.decodeAfterKey(cursor, rowKey, valueLength);
                checkRowEnd();
                previousKey = rowKey;
                return;
            }
            RowCodecV2.skipAfterKey(cursor, valueLength);
            checkRowEnd();
        }
    }
}
