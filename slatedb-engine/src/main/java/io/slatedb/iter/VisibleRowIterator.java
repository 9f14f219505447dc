package io.slatedb.iter;

import io.slatedb.MergeOperator;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.sst.ValueKind;
import io.slatedb.util.Futures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a merged stream of versions (key ascending, sequence number descending, the higher-precedence
 * source first on ties) into what a reader at {@code maxSeq} sees: per key, the newest row whose
 * sequence number is at most {@code maxSeq}, and no row for keys whose newest such row is a tombstone.
 * Expired rows are returned like any other: SlateDB's reads never consult the clock.
 *
 * <p>When the newest visible row is a merge operand, the key's visible operands down to its newest
 * visible value or tombstone are folded with the {@link MergeOperator} into one value row
 * ({@link MergeFold}); without an operator the iteration fails with {@link MergeOperands#missingOperator}.
 *
 * <p>{@link #newestRows} makes the variant that returns each key's newest row as stored instead
 * (tombstones and merge operands included, nothing folded), only when it is newer than a given
 * sequence number: what changed since then.
 */
public final class VisibleRowIterator implements RowIterator {
    private static final CompletableFuture<RowEntry> END = CompletableFuture.completedFuture(null);

    private final RowIterator versions;
    private final long maxSeq;
    private final MergeOperator operator;
    /** Whether each key's newest row is returned as stored (see {@link #newestRows}). */
    private final boolean asStored;
    /** With {@link #asStored}: rows at or below this sequence number (unsigned) are left out. */
    private final long sinceSeq;
    /** The last key whose visible row was decided; its older versions are skipped. */
    private byte[] decidedKey;
    /** The visible operands of the key being folded, newest first; empty when no fold is under way. */
    private final List<RowEntry> operands = new ArrayList<>();
    /** A row read past the end of a fold, to decide next. */
    private RowEntry pushedBack;
    private CompletableFuture<RowEntry> failure;
    private boolean finished;

    /** Without a merge operator: a merge operand fails the iteration. */
    public VisibleRowIterator(RowIterator versions, long maxSeq) {
        this(versions, maxSeq, null);
    }

    /**
     * @param versions rows in (key ascending, sequence number descending) order
     * @param maxSeq   the newest sequence number (unsigned) the reader sees
     * @param operator folds merge operands; null when there is none
     */
    public VisibleRowIterator(RowIterator versions, long maxSeq, MergeOperator operator) {
        this(versions, maxSeq, operator, false, 0);
    }

    private VisibleRowIterator(RowIterator versions, long maxSeq, MergeOperator operator, boolean asStored,
                               long sinceSeq) {
        this.versions = versions;
        this.maxSeq = maxSeq;
        this.operator = operator;
        this.asStored = asStored;
        this.sinceSeq = sinceSeq;
    }

    /**
     * Per key, the newest row whose sequence number is at most {@code maxSeq}, as stored (a value, a
     * tombstone or a merge operand, never folded), when its sequence number is above {@code sinceSeq}
     * (unsigned); keys whose newest such row is not are left out.
     *
     * @param versions rows in (key ascending, sequence number descending) order
     */
    public static VisibleRowIterator newestRows(RowIterator versions, long maxSeq, long sinceSeq) {
        return new VisibleRowIterator(versions, maxSeq, null, true, sinceSeq);
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
            CompletableFuture<RowEntry> decided;
            if (pushedBack != null) {
                RowEntry row = pushedBack;
                pushedBack = null;
                decided = decideOrFail(row);
            } else {
                CompletableFuture<RowEntry> next = versions.next();
                if (!next.isDone() || next.isCompletedExceptionally()) {
                    return next.handle((row, error) -> {
                        if (error != null) {
                            return fail(error);
                        }
                        CompletableFuture<RowEntry> result = decideOrFail(row);
                        return result != null ? result : next();
                    }).thenCompose(f -> f);
                }
                decided = decideOrFail(next.join());
            }
            if (decided != null) {
                return decided;
            }
        }
    }

    private CompletableFuture<RowEntry> decideOrFail(RowEntry row) {
        try {
            return decide(row);
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    /** What to return for {@code row}, or null to look at the next row. */
    private CompletableFuture<RowEntry> decide(RowEntry row) {
        if (!operands.isEmpty()) {
            return continueFold(row);
        }
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
        if (asStored) {
            return Long.compareUnsigned(row.seq(), sinceSeq) > 0 ? CompletableFuture.completedFuture(row) : null;
        }
        return switch (row.kind()) {
            case VALUE -> CompletableFuture.completedFuture(row);
            case TOMBSTONE -> null;
            case MERGE_OPERAND -> {
                if (operator == null) {
                    yield fail(MergeOperands.missingOperator(row));
                }
                operands.add(row);
                yield null;
            }
        };
    }

    /** The next row while a key's operands are being collected: the fold when they end, else null. */
    private CompletableFuture<RowEntry> continueFold(RowEntry row) {
        if (row != null && Arrays.equals(decidedKey, row.key())) {
            if (Long.compareUnsigned(row.seq(), maxSeq) > 0) {
                return null;
            }
            if (row.seq() == operands.get(operands.size() - 1).seq()) {
                // The same version from a lower-precedence source (a memtable and the L0 SST it became):
                // folding it twice would apply the operand twice.
                return null;
            }
            if (row.kind() == ValueKind.MERGE_OPERAND) {
                operands.add(row);
                return null;
            }
            return folded(row);
        }
        pushedBack = row;
        if (row == null) {
            finished = true;
        }
        return folded(null);
    }

    private CompletableFuture<RowEntry> folded(RowEntry base) {
        RowEntry result = MergeFold.fold(operator, operands, base, ValueKind.VALUE);
        operands.clear();
        return CompletableFuture.completedFuture(result);
    }

    private CompletableFuture<RowEntry> fail(Throwable error) {
        failure = CompletableFuture.failedFuture(Futures.unwrap(error));
        return failure;
    }
}
