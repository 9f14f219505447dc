package io.slatedb.gc;

import io.slatedb.util.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Deletes a task's objects, {@value #CONCURRENCY} at a time as SlateDB does. A failed delete is
 * logged and left for the next run; the others go on.
 */
final class Deletions {
    static final int CONCURRENCY = 8;
    private static final Logger LOG = LoggerFactory.getLogger(Deletions.class);

    private Deletions() {
    }

    /**
     * Deletes every item with {@code delete}; returns the paths of those deleted, in the given order.
     *
     * @param path   the object path of an item, for the result and the log
     */
    static <T> List<String> run(List<T> items, Function<T, String> path,
                                Function<T, CompletableFuture<Void>> delete) {
        List<String> deleted = new ArrayList<>(items.size());
        for (int start = 0; start < items.size(); start += CONCURRENCY) {
            List<T> batch = items.subList(start, Math.min(items.size(), start + CONCURRENCY));
            List<CompletableFuture<Boolean>> pending = new ArrayList<>(batch.size());
            for (T item : batch) {
                CompletableFuture<Void> started;
                try {
                    started = delete.apply(item);
                } catch (RuntimeException e) {
                    started = CompletableFuture.failedFuture(e);
                }
                pending.add(started.handle((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("garbage collection could not delete {}: {}", path.apply(item),
                                String.valueOf(Futures.unwrap(failure)));
                        return false;
                    }
                    return true;
                }));
            }
            for (int i = 0; i < batch.size(); i++) {
                if (Futures.join(pending.get(i))) {
                    deleted.add(path.apply(batch.get(i)));
                }
            }
        }
        return deleted;
    }
}
