package io.slatedb.iter;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.util.Futures;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a merged stream of versions (key ascending, sequence number descending, the higher-precedence
 * source first on ties) into what a reader at {@code maxSeq} sees: per key, the newest row whose
 * sequence number is at most {@code maxSeq}, and no row for keys whose newest such row is a tombstone.
 * Expired rows are returned like any other: SlateDB's reads never consult the clock. A key whose
 * newest visible row is a merge operand fails the iteration with {@link MergeOperands#missingOperator}.
 */
public final class VisibleRowIterator implements RowIterator {
    private static final CompletableFuture<RowEntry> END = CompletableFuture.completedFuture(null);

    private final RowIterator versions;
    private final long maxSeq;
    /** The last key whose visible row was decided; its older versions are skipped. */
    private byte[] decidedKey;
    private CompletableFuture<RowEntry> failure;
    private boolean finished;

    /**
     * @param versions rows in (key ascending, sequence number descending) order
     * @param maxSeq   the newest sequence number (unsigned) the reader sees
     */
    public VisibleRowIterator(RowIterator versions, long maxSeq) {
        this.versions = versions;
        this.maxSeq = maxSeq;
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        if (failure != null) {
            return failure;
        }
        if (finished) {
            return END;
        }
        while (true) {
            CompletableFuture<RowEntry> next = versions.next();
            if (!next.isDone() || next.isCompletedExceptionally()) {
                return next.handle((row, error) -> {
                    if (error != null) {
                        return fail(error);
                    }
                    CompletableFuture<RowEntry> decided = decide(row);
                    return decided != null ? decided : next();
                }).thenCompose(f -> f);
            }
            CompletableFuture<RowEntry> decided = decide(next.join());
            if (decided != null) {
                return decided;
            }
        }
    }

    /** What to return for {@code row}, or null to look at the next row. */
    private CompletableFuture<RowEntry> decide(RowEntry row) {
        if (row == null) {
            finished = true;
            return END;
        }
        if (decidedKey != null && Arrays.equals(decidedKey, row.key())) {
            return null;
        }
        if (Long.compareUnsigned(row.seq(), maxSeq) > 0) {
            return null;
        }
        decidedKey = row.key();
        return switch (row.kind()) {
            case VALUE -> CompletableFuture.completedFuture(row);
            case TOMBSTONE -> null;
            // The merge operator seam: fold this operand with the key's older rows, which follow it.
            case MERGE_OPERAND -> fail(MergeOperands.missingOperator(row));
        };
    }

    private CompletableFuture<RowEntry> fail(Throwable error) {
        failure = CompletableFuture.failedFuture(Futures.unwrap(error));
        return failure;
    }
}
