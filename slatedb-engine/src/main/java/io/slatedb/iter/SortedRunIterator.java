package io.slatedb.iter;

import io.slatedb.sst.KeyRange;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.util.Futures;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Walks the SSTs of a sorted run (key ranges that do not overlap, in key order) over a key range,
 * opening each SST only when the previous one is exhausted. The first SST is found with SlateDB's
 * index rule: with {@code p} the number of SSTs whose start key is strictly below the range's start,
 * begin at SST {@code max(p - 1, 0)}. The walk ends at the first SST that starts past the range. Each
 * SST is scanned over the range clipped to its visible range, so rows outside it never appear.
 *
 * @param <T> the run's tables
 */
public final class SortedRunIterator<T extends RunTable> implements RowIterator {
    private static final CompletableFuture<RowEntry> END = CompletableFuture.completedFuture(null);

    /** Opens the rows of one table over a range (already clipped to its visible range, never empty). */
    @FunctionalInterface
    public interface TableScanner<T> {
        CompletableFuture<RowIterator> scan(T table, KeyRange range);
    }

    private final List<T> tables;
    private final KeyRange range;
    private final TableScanner<T> scanner;
    private int nextTable;
    private RowIterator current;
    private CompletableFuture<RowEntry> failure;

    /**
     * @param tables  the run's tables in key order
     * @param range   the keys to return
     * @param scanner opens a table
     */
    public SortedRunIterator(List<T> tables, KeyRange range, TableScanner<T> scanner) {
        this.tables = Objects.requireNonNull(tables, "tables");
        this.range = Objects.requireNonNull(range, "range");
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.nextTable = range.start() == null ? 0 : firstTableFor(tables, range.start());
    }

    /**
     * The index rule: the table to start looking for {@code key} in. {@code p} counts the tables that
     * start strictly below the key (strictly, because versions of one key may continue into the next
     * table, which then starts at the key).
     */
    public static int firstTableFor(List<? extends RunTable> tables, byte[] key) {
        int lo = 0;
        int hi = tables.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(tables.get(mid).startKey(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(lo - 1, 0);
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        if (failure != null) {
            return failure;
        }
        while (true) {
            if (current != null) {
                CompletableFuture<RowEntry> next = current.next();
                if (!next.isDone() || next.isCompletedExceptionally()) {
                    return next.handle((row, error) -> {
                        if (error != null) {
                            return fail(error);
                        }
                        if (row != null) {
                            return CompletableFuture.completedFuture(row);
                        }
                        current = null;
                        return next();
                    }).thenCompose(f -> f);
                }
                if (next.join() != null) {
                    return next;
                }
                current = null;
            }
            if (nextTable >= tables.size()) {
                return END;
            }
            T table = tables.get(nextTable++);
            if (range.isAfterEnd(table.startKey())) {
                // This table and every later one start past the range.
                nextTable = tables.size();
                return END;
            }
            KeyRange visible = table.visibleRange();
            KeyRange clipped = visible == null ? range : range.intersect(visible);
            if (clipped.isEmpty()) {
                continue;
            }
            CompletableFuture<RowIterator> opened = scanner.scan(table, clipped);
            if (!opened.isDone() || opened.isCompletedExceptionally()) {
                return opened.handle((rows, error) -> {
                    if (error != null) {
                        return fail(error);
                    }
                    current = rows;
                    return next();
                }).thenCompose(f -> f);
            }
            current = opened.join();
        }
    }

    private CompletableFuture<RowEntry> fail(Throwable error) {
        failure = CompletableFuture.failedFuture(Futures.unwrap(error));
        return failure;
    }
}
