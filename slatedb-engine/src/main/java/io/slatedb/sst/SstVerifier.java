package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.BigEndian;
import io.slatedb.format.FormatException;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads every part of an SST and checks what checksums cannot: row order, index keys against the rows,
 * the info's first and last entries, and that the bloom filter holds every key.
 */
final class SstVerifier {
    private final SstReader reader;
    private final SstLayout sst;
    private Optional<BloomFilter> filter = Optional.empty();
    private RowEntry previous;
    private long rows;

    private SstVerifier(SstReader reader) {
        this.reader = reader;
        this.sst = reader.layout();
    }

    static CompletableFuture<Void> verify(SstReader reader) {
        SstVerifier verifier = new SstVerifier(reader);
        return reader.loadFilter()
                .thenCompose(f -> {
                    verifier.filter = f;
                    return reader.stats();
                })
                .thenCompose(stats -> verifier.blocksFrom(0).thenApply(unused -> {
                    verifier.checkTotals(stats);
                    return null;
                }));
    }

    private CompletableFuture<Void> blocksFrom(int i) {
        if (i >= sst.blockCount()) {
            return CompletableFuture.completedFuture(null);
        }
        return reader.block(i).thenCompose(block -> {
            checkBlock(i, block);
            return blocksFrom(i + 1);
        });
    }

    private void checkBlock(int i, Block block) {
        BlockIterator rowsOfBlock = block.iterator();
        boolean firstOfBlock = true;
        try {
            while (rowsOfBlock.hasNext()) {
                RowEntry row = rowsOfBlock.next();
                checkRow(i, row, firstOfBlock);
                firstOfBlock = false;
            }
        } catch (FormatException e) {
            throw corrupt("data block " + i + ": " + e.getMessage());
        }
    }

    private void checkRow(int block, RowEntry row, boolean firstOfBlock) {
        boolean compacted = sst.info().type() == SstType.COMPACTED;
        if (previous != null) {
            boolean inOrder = compacted ? RowEntry.KEY_ASC_SEQ_DESC.compare(previous, row) < 0
                    : Long.compareUnsigned(previous.seq(), row.seq()) < 0
                    || (previous.seq() == row.seq() && Arrays.compareUnsigned(previous.key(), row.key()) < 0);
            if (!inOrder) {
                throw corrupt("row " + row + " in block " + block + " is out of order after " + previous);
            }
        }
        if (firstOfBlock) {
            byte[] indexKey = sst.index().firstKey(block);
            if (compacted) {
                if (Arrays.compareUnsigned(indexKey, row.key()) > 0
                        || (previous != null && Arrays.compareUnsigned(indexKey, previous.key()) < 0)) {
                    throw corrupt("index key of block " + block + " does not separate it from the block before");
                }
            } else if (indexKey.length == 8 && BigEndian.readU64(indexKey, 0) != row.seq()) {
                throw corrupt("index of WAL block " + block + " names seq " + BigEndian.readU64(indexKey, 0)
                        + ", its first row has " + Long.toUnsignedString(row.seq()));
            }
        }
        if (rows == 0) {
            byte[] expectedFirst = compacted ? row.key() : BigEndian.u64Bytes(row.seq());
            if (sst.info().firstEntry() != null && !Arrays.equals(sst.info().firstEntry(), expectedFirst)) {
                throw corrupt("info's first entry does not match the first row");
            }
        }
        if (filter.isPresent() && !filter.get().mightContain(row.key())) {
            throw corrupt("bloom filter rules out key of row " + row);
        }
        previous = row;
        rows++;
    }

    private void checkTotals(Optional<SstStats> stats) {
        if (sst.info().type() == SstType.COMPACTED && previous != null && sst.info().lastEntry() != null
                && !Arrays.equals(sst.info().lastEntry(), previous.key())) {
            throw corrupt("info's last entry does not match the last row");
        }
        if (stats.isPresent() && stats.get().numRows() != rows) {
            throw corrupt("stats count " + stats.get().numRows() + " rows, the blocks hold " + rows);
        }
    }

    private CorruptObjectException corrupt(String problem) {
        return new CorruptObjectException(sst.path(), problem);
    }
}
