package io.slatedb.iter;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import io.slatedb.util.Futures;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Merges sources that each yield rows in (key ascending, sequence number descending) order into one
 * such stream. Sources are given in precedence order: when two rows have the same key and sequence
 * number, the one from the earlier source comes first. Every row of every source is returned.
 *
 * <p>The first call fetches the first row of every source, at most {@code initParallelism} at a time
 * (sources whose rows are at hand do not count). After that each call fetches at most one row, from
 * the source whose row the previous call returned.
 */
public final class MergingIterator implements RowIterator {
    private static final CompletableFuture<RowEntry> END = CompletableFuture.completedFuture(null);

    /** A source and its current row. One per source, reused, so merging allocates nothing per row. */
    private static final class Head {
        final int precedence;
        final RowIterator source;
        RowEntry row;

        Head(int precedence, RowIterator source) {
            this.precedence = precedence;
            this.source = source;
        }
    }

    private final Head[] heads;
    private final int initParallelism;
    private final PriorityQueue<Head> heap;
    private Head toAdvance;
    private boolean started;
    private CompletableFuture<RowEntry> failure;

    /**
     * @param sources         the sources, highest precedence first
     * @param initParallelism how many sources may fetch their first row at once, at least 1
     */
    public MergingIterator(List<? extends RowIterator> sources, int initParallelism) {
        if (initParallelism < 1) {
            throw new IllegalArgumentException("init parallelism must be at least 1: " + initParallelism);
        }
        this.heads = new Head[sources.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = new Head(i, sources.get(i));
        }
        this.initParallelism = initParallelism;
        this.heap = new PriorityQueue<>(Math.max(1, heads.length), (a, b) -> {
            int byRow = RowEntry.KEY_ASC_SEQ_DESC.compare(a.row, b.row);
            return byRow != 0 ? byRow : Integer.compare(a.precedence, b.precedence);
        });
    }

    @Override
    public CompletableFuture<RowEntry> next() {
        if (failure != null) {
            return failure;
        }
        if (!started) {
            started = true;
            return FirstRows.fetch(heads, initParallelism)
                    .handle((unused, error) -> error != null ? fail(error) : afterStart())
                    .thenCompose(f -> f);
        }
        Head head = toAdvance;
        if (head != null) {
            toAdvance = null;
            CompletableFuture<RowEntry> next = head.source.next();
            if (!next.isDone() || next.isCompletedExceptionally()) {
                return next.handle((row, error) -> error != null ? fail(error) : offerAndPoll(head, row))
                        .thenCompose(f -> f);
            }
            offer(head, next.join());
        }
        return poll();
    }

    private CompletableFuture<RowEntry> afterStart() {
        for (Head head : heads) {
            if (head.row != null) {
                heap.add(head);
            }
        }
        return poll();
    }

    private CompletableFuture<RowEntry> offerAndPoll(Head head, RowEntry row) {
        offer(head, row);
        return poll();
    }

    private void offer(Head head, RowEntry row) {
        head.row = row;
        if (row != null) {
            heap.add(head);
        }
    }

    private CompletableFuture<RowEntry> poll() {
        Head head = heap.poll();
        if (head == null) {
            return END;
        }
        toAdvance = head;
        return CompletableFuture.completedFuture(head.row);
    }

    private CompletableFuture<RowEntry> fail(Throwable error) {
        failure = CompletableFuture.failedFuture(Futures.unwrap(error));
        return failure;
    }

    /** Fetches the first row of every source into its head, a bounded number at a time. */
    private static final class FirstRows {
        private final Head[] heads;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int nextToStart;
        private int running;

        private FirstRows(Head[] heads) {
            this.heads = heads;
        }

        static CompletableFuture<Void> fetch(Head[] heads, int parallelism) {
            FirstRows rows = new FirstRows(heads);
            rows.startMore(parallelism);
            return rows.done;
        }

        /** Starts sources until {@code limit} are waiting or none are left; ends when all are in. */
        private void startMore(int limit) {
            while (true) {
                Head head;
                synchronized (this) {
                    if (done.isDone()) {
                        return;
                    }
                    if (nextToStart == heads.length) {
                        if (running == 0) {
                            break;
                        }
                        return;
                    }
                    if (running >= limit) {
                        return;
                    }
                    head = heads[nextToStart++];
                    running++;
                }
                CompletableFuture<RowEntry> first = head.source.next();
                if (first.isDone() && !first.isCompletedExceptionally()) {
                    head.row = first.join();
                    synchronized (this) {
                        running--;
                    }
                } else {
                    first.whenComplete((row, error) -> {
                        if (error != null) {
                            done.completeExceptionally(Futures.unwrap(error));
                            return;
                        }
                        head.row = row;
                        synchronized (this) {
                            running--;
                        }
                        startMore(limit);
                    });
                }
            }
            // Every head is filled; the synchronized blocks made their rows visible to this thread.
            done.complete(null);
        }
    }
}
