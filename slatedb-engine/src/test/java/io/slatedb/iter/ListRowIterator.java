package io.slatedb.iter;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Yields a list's rows, completing each future at once or (given an executor) on another thread. */
final class ListRowIterator implements RowIterator {
    private final List<RowEntry> rows;
    private final Executor completions;
    private int next;

    ListRowIterator(List<RowEntry> rows, Executor completions) {
        this.rows = rows;
        this.completions = completions;
    }

    ListRowIterator(List<RowEntry> rows) {
        this(rows, null);
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        RowEntry row = next < rows.size() ? rows.get(next++) : null;
        return completions == null ? CompletableFuture.completedFuture(row) : CompletableFuture.supplyAsync(() -> row, completions);
    }
}
