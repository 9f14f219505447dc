package io.slatedb.wal;

import io.slatedb.format.DbLayout;
import io.slatedb.store.ObjectNotFoundException;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the newest WAL file without listing. WAL ids above the manifest's {@code replay_after_wal_id}
 * are contiguous, so existence is monotone in the id: probe exponentially growing offsets (8 HEADs in
 * parallel per round), then binary-search between the last hit and the first miss.
 */
public final class WalTail {
    private static final int PROBES_PER_ROUND = 8;
    private static final int MAX_SHIFT = 48;

    private WalTail() {
    }

    /** The id of the last existing WAL file above {@code after}, or {@code after} when there is none. */
    public static CompletableFuture<Long> lastWalId(ObjectStore store, DbLayout layout, long after) {
        return round(store, layout, after, 0);
    }

    private static CompletableFuture<Long> round(ObjectStore store, DbLayout layout, long after, int shift) {
        if (shift >= MAX_SHIFT) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "more than 2^" + MAX_SHIFT + " WAL files above " + Long.toUnsignedString(after)));
        }
        List<CompletableFuture<Boolean>> probes = new ArrayList<>();
        for (int i = 0; i < PROBES_PER_ROUND; i++) {
            probes.add(exists(store, layout, after + (1L << (shift + i))));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenCompose(unused -> {
            for (int i = 0; i < PROBES_PER_ROUND; i++) {
                if (!probes.get(i).join()) {
                    if (shift == 0 && i == 0) {
                        return CompletableFuture.completedFuture(after);
                    }
                    long lastHit = after + (1L << (shift + i - 1));
                    long firstMiss = after + (1L << (shift + i));
                    return bisect(store, layout, lastHit, firstMiss);
                }
            }
            return round(store, layout, after, shift + PROBES_PER_ROUND);
        });
    }

    /** The last existing id in {@code [hit, miss)}, knowing {@code hit} exists and {@code miss} does not. */
    private static CompletableFuture<Long> bisect(ObjectStore store, DbLayout layout, long hit, long miss) {
        if (miss - hit <= 1) {
            return CompletableFuture.completedFuture(hit);
        }
        long mid = hit + (miss - hit) / 2;
        return exists(store, layout, mid).thenCompose(found -> found
                ? bisect(store, layout, mid, miss)
                : bisect(store, layout, hit, mid));
    }

    static CompletableFuture<Boolean> exists(ObjectStore store, DbLayout layout, long id) {
        return store.head(layout.walSstPath(id)).handle((meta, failure) -> {
            if (failure == null) {
                return true;
            }
            if (Futures.unwrap(failure) instanceof ObjectNotFoundException) {
                return false;
            }
            throw Futures.rethrow(failure);
        });
    }
}
