package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.FormatException;

import java.util.Arrays;

/**
 * Finds one key's newest version at or below a sequence number in one data block of a compacted SST,
 * for point gets. In a version-2 block the rows before the key are passed over without rebuilding
 * their keys: a row's key is its predecessor's first {@code shared} bytes and a stored suffix, so
 * knowing how long a prefix the predecessor had in common with the target is enough to compare it with
 * the target in place. Only the row found is copied out: its value; its key is the target array itself
 * (equal bytes, and a point read hands out no key it did not copy for its caller). Every
 * row passed is checked as a block iterator checks it. Version-1 blocks go through their iterator.
 */
final class BlockPointSearch {
    /** What {@link #find} answers when the key's versions may go on in the next block. */
    static final RowEntry NEXT_BLOCK = RowEntry.tombstone(new byte[0], 0);
    /** Up to this many bytes, key suffixes are compared byte by byte. */
    private static final int SHORT_SUFFIX = 16;

    private BlockPointSearch() {
    }

    /**
     * The newest version of {@code key} with a sequence number at most {@code maxSeq} (unsigned) in
     * {@code block}, null when the block shows there is none, or {@link #NEXT_BLOCK} when the block ends
     * before the key's versions do (or before the key).
     *
     * @throws FormatException when a row the search reads is malformed
     */
    static RowEntry find(Block block, byte[] key, long maxSeq) {
        return block.format() == BlockFormat.V2 ? findV2(block, key, maxSeq) : findByIterator(block, key, maxSeq);
    }

    private static RowEntry findByIterator(Block block, byte[] key, long maxSeq) {
        BlockIterator rows = block.iterator();
        rows.seek(key);
        while (rows.hasNext()) {
            RowEntry row = rows.next();
            if (!Arrays.equals(row.key(), key)) {
                return null;
            }
            if (Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                return row;
            }
        }
        return NEXT_BLOCK;
    }

    private static RowEntry findV2(Block block, byte[] key, long maxSeq) {
        byte[] bytes = block.bytes();
        int rowsEnd = block.rowsEnd();
        int[] restarts = block.offsets();
        int restart = lastRestartBelow(bytes, rowsEnd, restarts, key);
        ByteCursor in = new ByteCursor(bytes, restarts[restart], rowsEnd);
        int nextRestart = restart;
        int previousLength = 0;
        // How many leading bytes the previous row's key (which sorts below the target) shares with it.
        int matched = 0;
        // Whether a row at or above the target was met: from there on every row must be the target.
        boolean atKey = false;
        while (!in.exhausted()) {
            if (nextRestart < restarts.length && in.position() == restarts[nextRestart]) {
                nextRestart++;
                previousLength = 0;
                matched = 0;
            }
            long shared = in.readVarU32("row shared key length");
            long unshared = in.readVarU32("row unshared key length");
            long valueLength = in.readVarU32("row value length");
            if (shared > previousLength) {
                throw new FormatException("row shares " + shared + " key bytes with a " + previousLength
                        + "-byte previous key" + (previousLength == 0 ? " (at a restart point)" : ""));
            }
            if (unshared > in.remaining()) {
                throw new FormatException("truncated row key: " + unshared + " bytes, " + in.remaining() + " left");
            }
            int sharedBytes = (int) shared;
            int suffixBytes = (int) unshared;
            int suffixAt = in.position();
            in.skip(suffixBytes, "row key suffix");
            previousLength = sharedBytes + suffixBytes;
            int cmp;
            if (sharedBytes > matched) {
                // The row keeps the byte at which its predecessor fell below the target: it is below too.
                cmp = -1;
            } else {
                // The row's first sharedBytes bytes are the target's: compare the suffix with the target's rest.
                int mismatch = mismatch(bytes, suffixAt, suffixBytes, key, sharedBytes);
                if (mismatch < 0) {
                    cmp = 0;
                } else if (mismatch == suffixBytes) {
                    cmp = -1; // the row's key is a proper prefix of the target
                } else if (sharedBytes + mismatch == key.length) {
                    cmp = 1; // the target is a proper prefix of the row's key
                } else {
                    cmp = Integer.compare(bytes[suffixAt + mismatch] & 0xff, key[sharedBytes + mismatch] & 0xff);
                }
                matched = sharedBytes + (mismatch < 0 ? suffixBytes : mismatch);
            }
            if (cmp == 0) {
                atKey = true;
                RowEntry row = RowCodecV2.decodeAfterKey(in, key, valueLength);
                checkRowEnd(in, restarts, nextRestart);
                if (Long.compareUnsigned(row.seq(), maxSeq) <= 0) {
                    return row;
                }
                continue;
            }
            RowCodecV2.skipAfterKey(in, valueLength);
            checkRowEnd(in, restarts, nextRestart);
            if (cmp > 0 || atKey) {
                return null;
            }
        }
        return NEXT_BLOCK;
    }

    /**
     * {@link Arrays#mismatch(byte[], int, int, byte[], int, int)} of {@code bytes[at, at + length)} and
     * {@code key[from, key.length)}. Suffixes after a shared prefix are mostly a few bytes, which a plain
     * loop compares faster than the vectorized call.
     */
    private static int mismatch(byte[] bytes, int at, int length, byte[] key, int from) {
        int keyLength = key.length - from;
        if (length > SHORT_SUFFIX || keyLength > SHORT_SUFFIX) {
            return Arrays.mismatch(bytes, at, at + length, key, from, key.length);
        }
        int common = Math.min(length, keyLength);
        for (int i = 0; i < common; i++) {
            if (bytes[at + i] != key[from + i]) {
                return i;
            }
        }
        return length == keyLength ? -1 : common;
    }

    /**
     * The last restart point whose key is strictly below the target, or 0: versions of the target may
     * begin before a restart point that holds the same key.
     */
    private static int lastRestartBelow(byte[] bytes, int rowsEnd, int[] restarts, byte[] key) {
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
        return start;
    }

    /** Rows must end exactly where the next restart point begins, or the offsets lie. */
    private static void checkRowEnd(ByteCursor in, int[] restarts, int nextRestart) {
        if (nextRestart < restarts.length && in.position() > restarts[nextRestart]) {
            throw new FormatException("block row ends at " + in.position() + ", past the restart point at "
                    + restarts[nextRestart]);
        }
    }
}
