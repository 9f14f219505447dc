package io.slatedb.sst;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous iterator over rows. Calls must not overlap: call {@link #next()} again only after
 * the previous future completed. A failure (a corrupt block, a failed read) ends the iteration:
 * every later call fails the same way.
 */
public interface RowIterator {
    /**
     * The next row, or null when there are no more. Completes at once when the row is in a block
     * already loaded.
     */
    CompletableFuture<RowEntry> next();

    /** Every remaining row, in order. Meant for small SSTs, tests and tools. */
    default CompletableFuture<List<RowEntry>> collectRemaining() {
        List<RowEntry> rows = new ArrayList<>();
        return collectInto(rows).thenApply(unused -> rows);
    }

    private CompletableFuture<Void> collectInto(List<RowEntry> rows) {
        // Loop while rows arrive synchronously so long runs do not nest callbacks.
        while (true) {
            CompletableFuture<RowEntry> next = next();
            if (!next.isDone() || next.isCompletedExceptionally()) {
                return next.thenCompose(row -> {
                    if (row == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    rows.add(row);
                    return collectInto(rows);
                });
            }
            RowEntry row = next.join();
            if (row == null) {
                return CompletableFuture.completedFuture(null);
            }
            rows.add(row);
        }
    }
}
