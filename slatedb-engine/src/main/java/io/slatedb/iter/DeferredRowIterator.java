package io.slatedb.iter;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.util.Futures;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A row iterator created on the first call to {@link #next()}, for sources that must be opened
 * asynchronously (an SST whose metadata may have to be read), so that opening happens when the
 * consumer first asks and in parallel with other sources the consumer starts.
 */
public final class DeferredRowIterator implements RowIterator {
    private Supplier<CompletableFuture<RowIterator>> opener;
    private RowIterator rows;
    private CompletableFuture<RowEntry> failure;

    public DeferredRowIterator(Supplier<CompletableFuture<RowIterator>> opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        if (rows != null) {
            return rows.next();
        }
        if (failure != null) {
            return failure;
        }
        CompletableFuture<RowIterator> opened;
        try {
            opened = opener.get();
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        opener = null;
        if (opened.isDone() && !opened.isCompletedExceptionally()) {
            rows = opened.join();
            return rows.next();
        }
        return opened.handle((iterator, error) -> {
            if (error != null) {
                failure = CompletableFuture.failedFuture(Futures.unwrap(error));
                return failure;
            }
            rows = iterator;
            return rows.next();
        }).thenCompose(f -> f);
    }
}
